// Upserts roles (HOLDS_ROLE, keyed by person_id|uscc|role|start_on): {key, person_id, uscc, line,
// props, defaults}. A row is written only when it creates the role or changes one of its props,
// compared here with what is stored (one statement, no separate read), so a reload leaves facts
// and their provenance as they were. Both ends exist: the loader checked them; `written` lets it
// notice one that vanished meanwhile. Returns the ends of the rows it wrote, for propagation.
UNWIND $rows AS row
MATCH (p0:Person {person_id: row.person_id})
USING INDEX p0:Person(person_id)
MATCH (e0:Enterprise {uscc: row.uscc})
USING INDEX e0:Enterprise(uscc)
// A subject merged into another by a "same" judgement (docs/search.md, Identity) has its facts on
// the canonical one: they go there, with the key naming the row's ids as ever.
OPTIONAL MATCH (pc:Person {person_id: p0.merged_into})
OPTIONAL MATCH (ec:Enterprise {uscc: e0.merged_into})
WITH row, coalesce(pc, p0) AS p, coalesce(ec, e0) AS e
OPTIONAL MATCH (p)-[old:HOLDS_ROLE {key: row.key}]->(e)
WITH row, p, e, CASE WHEN old IS NOT NULL THEN properties(old) END AS was,
     old IS NULL OR any(k IN keys(row.props)
                        WHERE NOT coalesce(old[k] = row.props[k], old[k] IS NULL AND row.props[k] IS NULL)) AS dirty
CALL (row, p, e, dirty) {
  WITH * WHERE dirty
  MERGE (p)-[r:HOLDS_ROLE {key: row.key}]->(e)
  ON CREATE SET r += row.defaults
  SET r += row.props,
      r.src_load = $prov.src_load, r.src_file = $prov.src_file, r.src_line = row.line,
      r.src_at = $prov.src_at, r.src_department = $prov.src_department
}
RETURN count(*) AS written,
       sum(CASE WHEN dirty THEN 1 ELSE 0 END) AS changed,
       collect(DISTINCT CASE WHEN dirty THEN p.person_id END) AS person_ids,
       collect(DISTINCT CASE WHEN dirty THEN e.uscc END) AS usccs,
       // For the change log (graph_service.facts.writer._edge_entries): the rows written, with
       // what was stored before.
       collect(CASE WHEN dirty THEN {key: row.key, holder_id: p.person_id, holder_kind: 'person', uscc: e.uscc,
                                     before: was, props: row.props, defaults: row.defaults,
                                     regions: [e.region_code, p.region_code]} END) AS changes
