// For the region scope of a check: each id of $ids that names an enterprise or a person, with the
// codes of its region and the region's ancestors (a merged subject's are the canonical one's).
UNWIND $ids AS id
CALL (id) {
  MATCH (e:Enterprise {uscc: id})
  OPTIONAL MATCH (c:Enterprise {uscc: e.merged_into})
  RETURN coalesce(c, e) AS n
  UNION
  MATCH (p:Person {person_id: id})
  OPTIONAL MATCH (c:Person {person_id: p.merged_into})
  RETURN coalesce(c, p) AS n
}
RETURN id, CASE WHEN n:Person THEN 'person' ELSE 'enterprise' END AS kind,
  COLLECT {
    MATCH (n)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(a:Region)
    RETURN DISTINCT a.code
  } AS regions
