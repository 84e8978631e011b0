// The region of GET /v1/regions/{code}/links, with the codes of its ancestors (for key scopes).
MATCH (r:Region {code: $code})
RETURN r.code AS code, r.name AS name, r.level AS level,
       COLLECT { MATCH (r)-[:PART_OF*1..4]->(a:Region) RETURN a.code } AS ancestors
