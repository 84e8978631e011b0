// Upserts holdings of a person holder (HOLDS_SHARES, keyed by holder_id|uscc|start_on):
// {key, holder_id, uscc, line, props, defaults}. A row is written only when it creates the holding
// or changes one of its props, compared here with what is stored (see loading/roles.cypher). Returns
// the ends of the rows it wrote, for propagation, and the rows written for the change log.
UNWIND $rows AS row
MATCH (h0:Person {person_id: row.holder_id})
USING INDEX h0:Person(person_id)
MATCH (e0:Enterprise {uscc: row.uscc})
USING INDEX e0:Enterprise(uscc)
// Merged subjects' facts go to the canonical ones (see loading/roles.cypher).
OPTIONAL MATCH (hc:Person {person_id: h0.merged_into})
OPTIONAL MATCH (ec:Enterprise {uscc: e0.merged_into})
WITH row, coalesce(hc, h0) AS h, coalesce(ec, e0) AS e
OPTIONAL MATCH (h)-[old:HOLDS_SHARES {key: row.key}]->(e)
WITH row, h, e, CASE WHEN old IS NOT NULL THEN properties(old) END AS was,
     old IS NULL OR any(k IN keys(row.props)
                        WHERE NOT coalesce(old[k] = row.props[k], old[k] IS NULL AND row.props[k] IS NULL)) AS dirty
CALL (row, h, e, dirty) {
  WITH * WHERE dirty
  MERGE (h)-[s:HOLDS_SHARES {key: row.key}]->(e)
  ON CREATE SET s += row.defaults
  SET s += row.props,
      s.src_load = $prov.src_load, s.src_file = $prov.src_file, s.src_line = row.line,
      s.src_at = $prov.src_at, s.src_department = $prov.src_department
}
RETURN count(*) AS written,
       sum(CASE WHEN dirty THEN 1 ELSE 0 END) AS changed,
       collect(DISTINCT CASE WHEN dirty THEN h.person_id END) AS holder_ids,
       collect(DISTINCT CASE WHEN dirty THEN e.uscc END) AS usccs,
       // For the change log (graph_service.facts.writer._edge_entries): the rows written, with
       // what was stored before.
       collect(CASE WHEN dirty THEN {key: row.key, holder_id: h.person_id, holder_kind: 'person', uscc: e.uscc,
                                     before: was, props: row.props, defaults: row.defaults,
                                     regions: [e.region_code, h.region_code]} END) AS changes
