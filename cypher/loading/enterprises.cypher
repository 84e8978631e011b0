// Upserts enterprises: {uscc, line, props, defaults, relink}, only rows that are new or differ
// from what is stored (the loader compares first), so provenance names the load that last changed
// a node. props: the columns the file has; defaults: the others, set only on a new node.
// relink: the region changed (or the node is new), so REGISTERED_IN follows region_code.
// search: the search keys and name history computed in Python (graph_service.facts.search_keys;
// a null removes the property, {} leaves them).
UNWIND $rows AS row
MERGE (e:Enterprise {uscc: row.uscc})
ON CREATE SET e += row.defaults
SET e += row.props, e += row.search,
    e.src_load = $prov.src_load, e.src_file = $prov.src_file, e.src_line = row.line,
    e.src_at = $prov.src_at, e.src_department = $prov.src_department
WITH e, row
WHERE row.relink
// Under a retired code the link goes to its successor (the region it counts in); region_code
// keeps the code as written.
OPTIONAL MATCH (written:Region {code: e.region_code})
WITH e, coalesce(written.successor, written.code) AS link
CALL (e, link) {
  OPTIONAL MATCH (e)-[old:REGISTERED_IN]->(r:Region)
  WHERE link IS NULL OR r.code <> link
  DELETE old
}
CALL (e, link) {
  MATCH (r:Region {code: link})
  MERGE (e)-[:REGISTERED_IN]->(r)
}
