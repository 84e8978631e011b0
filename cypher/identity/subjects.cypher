// The subjects a judgement names ($ids), each as enterprise or person, with what the resolution
// checks: the root of its identity (merged_into: the canonical subject it was merged into, null
// for a canonical one), the facts the canonical choice reads, the members merged into it, and the
// codes of its region and the region's ancestors (the key's scope).
UNWIND range(0, size($ids) - 1) AS i
WITH i, $ids[i] AS id
CALL (id) {
  MATCH (e:Enterprise {uscc: id}) RETURN e AS n, 'enterprise' AS kind
  UNION
  MATCH (p:Person {person_id: id}) RETURN p AS n, 'person' AS kind
}
RETURN i, id, kind, n.name AS name, n.merged_into AS merged_into, n.id_type AS id_type,
  n.established_on AS established_on,
  COLLECT {
    MATCH (n)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(a:Region)
    RETURN DISTINCT a.code
  } AS regions
