// The candidates of queries by example (POST /v1/match and /v1/match/batch; graph_service.search.match),
// for each entry of $queries {i, kind, id, text, prefixes, representative, representative_text}:
//  - the subject of `id` (a USCC or person id), exactly;
//  - the best $fetch hits of the full-text index subject_names for the name (`text`: a Lucene query
//    built from the folded name by graph_service.search.lucene, never the user's text as such), of the
//    kind asked;
//  - persons whose citizen id starts with one of `prefixes` (an address code and the birth date asked:
//    a name written wrong is still found by who and where);
//  - enterprises whose legal representative or operator on $today bears the folded name
//    `representative` (persons found through the same index by `representative_text`).
// One row with a map per query that found any, each candidate with the facts
// graph_service.search.scoring compares (a person's stored pinyin_keys, not spelled again) and
// `in_scope`: registered in region $scope or below it (always true when $scope is null).
UNWIND $queries AS q
CALL (q) {
  MATCH (n:Enterprise {uscc: q.id})
  WHERE q.kind = 'enterprise'
  RETURN n
  UNION
  MATCH (n:Person {person_id: q.id})
  WHERE q.kind = 'person'
  RETURN n
  UNION
  UNWIND CASE WHEN q.text IS NULL THEN [] ELSE [q.text] END AS text
  CALL db.index.fulltext.queryNodes('subject_names', text, {limit: $fetch}) YIELD node AS n
  WITH q, n
  WHERE (q.kind = 'enterprise' AND n:Enterprise) OR (q.kind = 'person' AND n:Person)
  RETURN n
  UNION
  UNWIND q.prefixes AS prefix
  MATCH (n:Person)
  USING INDEX n:Person(person_id)
  WHERE n.person_id STARTS WITH prefix
  RETURN n
  UNION
  UNWIND CASE WHEN q.representative_text IS NULL THEN [] ELSE [q.representative_text] END AS text
  CALL db.index.fulltext.queryNodes('subject_names', text, {limit: $fetch}) YIELD node AS p
  WITH q, p
  WHERE p:Person AND q.representative IN p.search_keys
  MATCH (p)-[r:HOLDS_ROLE]->(n:Enterprise)
  WHERE r.role IN ['legal_representative', 'principal']
    AND (r.start_on IS NULL OR r.start_on <= date($today)) AND (r.end_on IS NULL OR date($today) < r.end_on)
  RETURN n
}
WITH q, collect(n) AS found
RETURN collect({i: q.i, candidates: [n IN found | n {
  kind: CASE WHEN n:Enterprise THEN 'enterprise' ELSE 'person' END,
  id: coalesce(n.uscc, n.person_id),
  .name, .former_names, .region_code, .address, .status, .id_type, .pinyin_keys,
  representatives: [(p:Person)-[r:HOLDS_ROLE]->(n)
                    WHERE r.role IN ['legal_representative', 'principal']
                      AND (r.start_on IS NULL OR r.start_on <= date($today))
                      AND (r.end_on IS NULL OR date($today) < r.end_on) | p.name],
  in_scope: $scope IS NULL OR EXISTS {
    MATCH (n)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(:Region {code: $scope}) }
}]}) AS rows
