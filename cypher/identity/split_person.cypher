// The undo of a "same" judgement on persons: person $merged, and the persons merged through it
// ($split_ids: it and those below it), are split off their canonical person $root again. Each
// fact moves back by whom it names: a role or holding whose key names one of $split_ids, a record
// reported about one of them (its subject_id back to $merged; reported_subject_id dropped when it
// is $merged itself), a record naming one of them responsible (the link to $root stays while the
// record also names one of $remaining_ids, the rest of $root's identity), a release of one of them.
// Facts a later load added for a merged person went to $root with the same names, so they move
// back too. The persons below $merged name it again as their canonical one.
MATCH (m:Person {person_id: $merged})
MATCH (k:Person {person_id: $root})
CALL (m, k) {
  MATCH (k)-[x:HOLDS_ROLE]->(e:Enterprise)
  WHERE split(x.key, '|')[0] IN $split_ids
  CREATE (m)-[y:HOLDS_ROLE]->(e)
  SET y = properties(x)
  DELETE x
}
CALL (m, k) {
  MATCH (k)-[x:HOLDS_SHARES]->(e:Enterprise)
  WHERE split(x.key, '|')[0] IN $split_ids
  CREATE (m)-[y:HOLDS_SHARES]->(e)
  SET y = properties(x)
  DELETE x
}
CALL (m, k) {
  MATCH (r:Record)-[x:CONCERNS]->(k)
  WHERE r.reported_subject_id IN $split_ids
  MERGE (r)-[:CONCERNS]->(m)
  SET r.subject_id = m.person_id,
      r.reported_subject_id = CASE WHEN r.reported_subject_id = m.person_id THEN null ELSE r.reported_subject_id END
  DELETE x
}
CALL (m, k) {
  MATCH (r:Record)-[x:NAMES_RESPONSIBLE]->(k)
  WHERE any(pid IN coalesce(r.responsible_person_ids, []) WHERE pid IN $split_ids)
  MERGE (r)-[:NAMES_RESPONSIBLE]->(m)
  WITH r, x
  WHERE none(pid IN coalesce(r.responsible_person_ids, []) WHERE pid IN $remaining_ids)
  DELETE x
}
CALL (m, k) {
  MATCH (k)-[x:RELEASED_FROM]->(r:Record)
  WHERE x.released_person_id IN $split_ids
  CREATE (m)-[y:RELEASED_FROM]->(r)
  SET y = properties(x),
      y.released_person_id = CASE WHEN x.released_person_id = m.person_id THEN null ELSE x.released_person_id END
  DELETE x
}
CALL (m) {
  MATCH (y:Person)-[:MERGED_INTO*1..]->(m)
  SET y.merged_into = m.person_id
}
CALL (m) {
  MATCH (m)-[link:MERGED_INTO]->()
  DELETE link
}
REMOVE m.merged_into
RETURN count(*) AS split
