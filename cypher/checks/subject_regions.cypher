// For the region scope of a check: each id of $ids that names an enterprise or a person, with the
// codes of its region and the region's ancestors.
UNWIND $ids AS id
CALL (id) {
  MATCH (e:Enterprise {uscc: id}) RETURN e AS n
  UNION
  MATCH (p:Person {person_id: id}) RETURN p AS n
}
RETURN id, CASE WHEN n:Person THEN 'person' ELSE 'enterprise' END AS kind,
  COLLECT {
    MATCH (n)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(a:Region)
    RETURN DISTINCT a.code
  } AS regions
