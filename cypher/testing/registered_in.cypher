// Tests: the region code as written and the region each subject of $ids is linked to.
UNWIND $ids AS id
MATCH (n)-[:REGISTERED_IN]->(r:Region)
WHERE n.person_id = id OR n.uscc = id
RETURN id, n.region_code AS region_code, r.code AS code
ORDER BY id, code
