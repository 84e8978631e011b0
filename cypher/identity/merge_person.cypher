// A "same" judgement on two persons (POST /v1/resolutions; docs/search.md "Identity"): person
// $merged is merged into person $canonical. Every fact about the merged person moves to the
// canonical one as it was: roles and holdings keep their key, which still names the person the
// bundle named, so an undo can move each back; records about it now concern the canonical person,
// their subject_id rewritten and the id the department reported kept as reported_subject_id; a
// release keeps whom it released (released_person_id). The merged node stays, with its own
// properties and registration, marked merged_into and linked by MERGED_INTO; persons merged into it
// earlier now name the new canonical person. Derived liabilities are recomputed by the caller.
MATCH (m:Person {person_id: $merged})
MATCH (k:Person {person_id: $canonical})
CALL (m, k) {
  MATCH (m)-[x:HOLDS_ROLE]->(e:Enterprise)
  CREATE (k)-[y:HOLDS_ROLE]->(e)
  SET y = properties(x)
  DELETE x
}
CALL (m, k) {
  MATCH (m)-[x:HOLDS_SHARES]->(e:Enterprise)
  CREATE (k)-[y:HOLDS_SHARES]->(e)
  SET y = properties(x)
  DELETE x
}
CALL (m, k) {
  MATCH (r:Record)-[x:CONCERNS]->(m)
  MERGE (r)-[:CONCERNS]->(k)
  SET r.reported_subject_id = coalesce(r.reported_subject_id, r.subject_id), r.subject_id = k.person_id
  DELETE x
}
CALL (m, k) {
  MATCH (r:Record)-[x:NAMES_RESPONSIBLE]->(m)
  MERGE (r)-[:NAMES_RESPONSIBLE]->(k)
  DELETE x
}
CALL (m, k) {
  MATCH (m)-[x:RELEASED_FROM]->(r:Record)
  CREATE (k)-[y:RELEASED_FROM]->(r)
  SET y = properties(x), y.released_person_id = coalesce(x.released_person_id, m.person_id)
  DELETE x
}
CALL (m, k) {
  MATCH (y:Person {merged_into: m.person_id})
  SET y.merged_into = k.person_id
}
SET m.merged_into = k.person_id
CREATE (m)-[:MERGED_INTO {resolution_id: $resolution_id}]->(k)
RETURN count(*) AS merged
