// The subject an investigator endpoint is asked about (GET /v1/subjects/{id}/..., /v1/paths,
// POST /v1/checks): an enterprise by uscc or a person by person_id ($kind null = either), with the
// codes of its region and the region's ancestors, for the region scope of the caller's key.
CALL () {
  MATCH (e:Enterprise {uscc: $id})
  WHERE $kind IS NULL OR $kind = 'enterprise'
  RETURN e AS n, 'enterprise' AS kind
  UNION
  MATCH (p:Person {person_id: $id})
  WHERE $kind IS NULL OR $kind = 'person'
  RETURN p AS n, 'person' AS kind
}
RETURN kind, coalesce(n.uscc, n.person_id) AS id, n.name AS name, n.region_code AS region_code,
  n.merged_into AS merged_into,
  COLLECT {
    MATCH (n)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(a:Region)
    RETURN DISTINCT a.code
  } AS regions
