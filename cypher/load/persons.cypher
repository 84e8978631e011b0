// Upserts persons: {person_id, line, props, defaults, relink}; see load/enterprises.
UNWIND $rows AS row
MERGE (p:Person {person_id: row.person_id})
ON CREATE SET p += row.defaults
SET p += row.props,
    p.src_load = $prov.src_load, p.src_file = $prov.src_file, p.src_line = row.line,
    p.src_at = $prov.src_at, p.src_department = $prov.src_department
WITH p, row
WHERE row.relink
CALL (p) {
  OPTIONAL MATCH (p)-[old:REGISTERED_IN]->(r:Region)
  WHERE p.region_code IS NULL OR r.code <> p.region_code
  DELETE old
}
CALL (p) {
  MATCH (r:Region {code: p.region_code})
  MERGE (p)-[:REGISTERED_IN]->(r)
}
