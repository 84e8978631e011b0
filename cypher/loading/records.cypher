// Upserts credit records: {record_id, authority, authority_region, line, props, defaults}, only
// rows that are new or changed, with their authority (IN_REGION), subject (CONCERNS), the persons
// named responsible (NAMES_RESPONSIBLE) and the deciding authority (DECIDED_BY). The links follow
// the stored properties, so a later row that corrects the subject or the persons moves them.
UNWIND $rows AS row
MERGE (rec:Record {record_id: row.record_id})
ON CREATE SET rec += row.defaults
SET rec += row.props,
    rec.src_load = $prov.src_load, rec.src_file = $prov.src_file, rec.src_line = row.line,
    rec.src_at = $prov.src_at, rec.src_department = $prov.src_department
MERGE (a:Authority {authority_id: rec.authority_id})
ON CREATE SET a.name = row.authority, a.region_code = row.authority_region,
              a.src_load = $prov.src_load, a.src_file = $prov.src_file, a.src_line = row.line,
              a.src_at = $prov.src_at, a.src_department = $prov.src_department
WITH rec, a
// A subject merged into another by a "same" judgement (docs/search.md, Identity): the record
// concerns the canonical subject, and keeps the id the department reported (reported_subject_id).
CALL (rec) {
  OPTIONAL MATCH (se:Enterprise {uscc: rec.subject_id})
  WHERE rec.subject_kind = 'enterprise'
  OPTIONAL MATCH (sp:Person {person_id: rec.subject_id})
  WHERE rec.subject_kind = 'person'
  WITH rec, coalesce(se.merged_into, sp.merged_into) AS canonical
  SET rec.reported_subject_id = CASE WHEN canonical IS NULL THEN null ELSE rec.subject_id END,
      rec.subject_id = coalesce(canonical, rec.subject_id)
}
CALL (a) {
  MATCH (reg:Region {code: a.region_code})
  MERGE (a)-[:IN_REGION]->(reg)
}
CALL (rec, a) {
  OPTIONAL MATCH (rec)-[old:DECIDED_BY]->(other:Authority)
  WHERE other <> a
  DELETE old
}
CALL (rec, a) {
  MERGE (rec)-[:DECIDED_BY]->(a)
}
CALL (rec) {
  OPTIONAL MATCH (rec)-[old:CONCERNS]->(s)
  WHERE NOT (rec.subject_kind = 'enterprise' AND s:Enterprise AND s.uscc = rec.subject_id)
    AND NOT (rec.subject_kind = 'person' AND s:Person AND s.person_id = rec.subject_id)
  DELETE old
}
CALL (rec) {
  MATCH (s:Enterprise {uscc: rec.subject_id})
  WHERE rec.subject_kind = 'enterprise'
  MERGE (rec)-[:CONCERNS]->(s)
}
CALL (rec) {
  MATCH (s:Person {person_id: rec.subject_id})
  WHERE rec.subject_kind = 'person'
  MERGE (rec)-[:CONCERNS]->(s)
}
// The persons named responsible, each as its canonical person (a merged one's is another).
CALL (rec) {
  WITH rec, COLLECT {
    UNWIND coalesce(rec.responsible_person_ids, []) AS pid
    MATCH (named:Person {person_id: pid})
    RETURN coalesce(named.merged_into, pid)
  } AS canonical_ids
  OPTIONAL MATCH (rec)-[old:NAMES_RESPONSIBLE]->(p:Person)
  WHERE NOT p.person_id IN canonical_ids
  DELETE old
}
CALL (rec) {
  UNWIND coalesce(rec.responsible_person_ids, []) AS pid
  MATCH (named:Person {person_id: pid})
  MATCH (p:Person {person_id: coalesce(named.merged_into, pid)})
  MERGE (rec)-[:NAMES_RESPONSIBLE]->(p)
}
RETURN count(*) AS written
