// A "same" judgement on two enterprises: enterprise $merged is merged into enterprise $canonical,
// as identity/merge_person does for persons: the roles in it, the holdings into it and
// out of it move to the canonical enterprise with their keys (which still name the merged USCC),
// records about it are rewritten to the canonical USCC with the reported one kept
// (reported_subject_id); the merged node stays, marked merged_into and linked by MERGED_INTO.
MATCH (m:Enterprise {uscc: $merged})
MATCH (k:Enterprise {uscc: $canonical})
CALL (m, k) {
  MATCH (p:Person)-[x:HOLDS_ROLE]->(m)
  CREATE (p)-[y:HOLDS_ROLE]->(k)
  SET y = properties(x)
  DELETE x
}
CALL (m, k) {
  MATCH (h)-[x:HOLDS_SHARES]->(m)
  CREATE (h)-[y:HOLDS_SHARES]->(k)
  SET y = properties(x)
  DELETE x
}
CALL (m, k) {
  MATCH (m)-[x:HOLDS_SHARES]->(t:Enterprise)
  CREATE (k)-[y:HOLDS_SHARES]->(t)
  SET y = properties(x)
  DELETE x
}
CALL (m, k) {
  MATCH (r:Record)-[x:CONCERNS]->(m)
  MERGE (r)-[:CONCERNS]->(k)
  SET r.reported_subject_id = coalesce(r.reported_subject_id, r.subject_id), r.subject_id = k.uscc
  DELETE x
}
CALL (m, k) {
  MATCH (y:Enterprise {merged_into: m.uscc})
  SET y.merged_into = k.uscc
}
SET m.merged_into = k.uscc
CREATE (m)-[:MERGED_INTO {resolution_id: $resolution_id}]->(k)
RETURN count(*) AS merged
