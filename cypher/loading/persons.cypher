// Upserts persons: {person_id, line, props, defaults, relink, search}; see loading/enterprises.
UNWIND $rows AS row
MERGE (p:Person {person_id: row.person_id})
ON CREATE SET p += row.defaults
SET p += row.props, p += row.search,
    p.src_load = $prov.src_load, p.src_file = $prov.src_file, p.src_line = row.line,
    p.src_at = $prov.src_at, p.src_department = $prov.src_department
WITH p, row
WHERE row.relink
// Under a retired code the link goes to its successor (the region it counts in); region_code
// keeps the code as written.
OPTIONAL MATCH (written:Region {code: p.region_code})
WITH p, coalesce(written.successor, written.code) AS link
CALL (p, link) {
  OPTIONAL MATCH (p)-[old:REGISTERED_IN]->(r:Region)
  WHERE link IS NULL OR r.code <> link
  DELETE old
}
CALL (p, link) {
  MATCH (r:Region {code: link})
  MERGE (p)-[:REGISTERED_IN]->(r)
}
