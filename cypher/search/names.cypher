// Candidates of GET /v1/search from the full-text index of names (cypher/admin/search_index.cypher):
// $text is a query built by graph_service.search.lucene from the folded forms of the user's text,
// never the text itself. The index gives up to $read nodes by relevance (`more`: it may hold
// others); of those, the ones of $kind (null: both) registered in $region or below (null:
// anywhere) are kept: the $limit most relevant, and the $limit most relevant of those in the
// caller's region $scope (null: a key without one), which it sees first. A name's words shared by
// many (有限公司, 郴州) match nodes of the region that the ranking drops: they must not crowd out
// the relevant ones outside it. graph_service.search.ranking ranks the `rows`.
CALL db.index.fulltext.queryNodes('subject_names', $text, {limit: $read}) YIELD node, score
WITH collect([node, score]) AS found
CALL (found) {
  UNWIND found AS f
  WITH f[0] AS node, f[1] AS score
  WITH node, score, CASE WHEN node:Enterprise THEN 'enterprise' ELSE 'person' END AS kind
  WHERE ($kind IS NULL OR kind = $kind)
    AND ($region IS NULL OR EXISTS {
      MATCH (node)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(:Region {code: $region}) })
  WITH node, score, kind,
       $scope IS NULL OR EXISTS {
         MATCH (node)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(:Region {code: $scope}) } AS in_scope
  ORDER BY score DESC
  WITH collect({kind: kind, id: coalesce(node.uscc, node.person_id), name: node.name,
                former_names: node.former_names, former_names_until: node.former_names_until,
                pinyin_keys: node.pinyin_keys, region_code: node.region_code, status: node.status,
                in_scope: in_scope, score: score}) AS kept
  RETURN kept[0..$limit] + [x IN kept[$limit..] WHERE x.in_scope][0..$limit] AS rows
}
RETURN size(found) >= $read AS more, rows
