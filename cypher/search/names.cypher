// Candidates of GET /v1/search from the full-text index of names (cypher/admin/search_index.cypher):
// $text is a query built by graph_service.search.lucene from the folded forms of the user's text,
// never the text itself. The index gives up to $read nodes by relevance; of those, the ones of
// $kind (null: both) registered in $region or below (null: anywhere) are kept, at most $limit,
// those in the caller's region $scope (null: a key without one) first. graph_service.search.ranking
// ranks what this returns.
CALL db.index.fulltext.queryNodes('subject_names', $text, {limit: $read}) YIELD node, score
WITH node, score,
     CASE WHEN node:Enterprise THEN 'enterprise' ELSE 'person' END AS kind
WHERE ($kind IS NULL OR kind = $kind)
  AND ($region IS NULL OR EXISTS {
    MATCH (node)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(:Region {code: $region}) })
WITH node, score, kind,
     $scope IS NULL OR EXISTS {
       MATCH (node)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(:Region {code: $scope}) } AS in_scope
ORDER BY in_scope DESC, score DESC
LIMIT $limit
RETURN kind, coalesce(node.uscc, node.person_id) AS id, node.name AS name, node.former_names AS former_names,
       node.former_names_until AS former_names_until, node.pinyin_keys AS pinyin_keys,
       node.region_code AS region_code, node.status AS status, in_scope, score
