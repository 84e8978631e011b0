// The undo of a "same" judgement on enterprises, as identity/split_person for persons: the roles
// in $root and the holdings into it whose key names one of $split_ids as the enterprise held, the
// holdings out of it whose key names one as the holder, and the records reported about one of them
// move back to $merged; the enterprises below $merged name it again as their canonical one.
MATCH (m:Enterprise {uscc: $merged})
MATCH (k:Enterprise {uscc: $root})
CALL (m, k) {
  MATCH (p:Person)-[x:HOLDS_ROLE]->(k)
  WHERE split(x.key, '|')[1] IN $split_ids
  CREATE (p)-[y:HOLDS_ROLE]->(m)
  SET y = properties(x)
  DELETE x
}
CALL (m, k) {
  MATCH (h)-[x:HOLDS_SHARES]->(k)
  WHERE split(x.key, '|')[1] IN $split_ids
  CREATE (h)-[y:HOLDS_SHARES]->(m)
  SET y = properties(x)
  DELETE x
}
CALL (m, k) {
  MATCH (k)-[x:HOLDS_SHARES]->(t:Enterprise)
  WHERE split(x.key, '|')[0] IN $split_ids
  CREATE (m)-[y:HOLDS_SHARES]->(t)
  SET y = properties(x)
  DELETE x
}
CALL (m, k) {
  MATCH (r:Record)-[x:CONCERNS]->(k)
  WHERE r.reported_subject_id IN $split_ids
  MERGE (r)-[:CONCERNS]->(m)
  SET r.subject_id = m.uscc,
      r.reported_subject_id = CASE WHEN r.reported_subject_id = m.uscc THEN null ELSE r.reported_subject_id END
  DELETE x
}
CALL (m) {
  MATCH (y:Enterprise)-[:MERGED_INTO*1..]->(m)
  SET y.merged_into = m.uscc
}
CALL (m) {
  MATCH (m)-[link:MERGED_INTO]->()
  DELETE link
}
REMOVE m.merged_into
RETURN count(*) AS split
