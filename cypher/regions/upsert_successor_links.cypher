// Subjects linked to a retired region that names a successor are linked to the successor (a graph
// loaded before successors were kept); their region_code stays as written.
MATCH (w:Region)
WHERE w.successor IS NOT NULL
MATCH (n)-[old:REGISTERED_IN]->(w)
MATCH (s:Region {code: w.successor})
MERGE (n)-[:REGISTERED_IN]->(s)
DELETE old
RETURN count(*) AS relinked
