// PART_OF from each region to its parent; a region has exactly one parent, so an older link to a
// different parent is removed.
UNWIND $rows AS row
MATCH (c:Region {code: row.code})
OPTIONAL MATCH (c)-[old:PART_OF]->(o:Region)
WHERE o.code <> row.parent_code
DELETE old
WITH DISTINCT c, row
MATCH (p:Region {code: row.parent_code})
MERGE (c)-[:PART_OF]->(p)
