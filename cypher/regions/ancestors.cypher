// The codes on the PART_OF path from a region up to its province, the region itself first.
MATCH path = (n:Region {code: $code})-[:PART_OF*0..]->(top:Region)
WHERE NOT (top)-[:PART_OF]->()
RETURN [r IN nodes(path) | r.code] AS codes
