// Candidates of GET /v1/search by identifier: the enterprises whose USCC starts with $uscc_prefix
// (a whole USCC is its own prefix; null: none), at most $limit in USCC order, and the person whose
// id is $person_id (null: none). Filters and columns as search/names.
CALL () {
  MATCH (e:Enterprise)
  WHERE e.uscc STARTS WITH $uscc_prefix
  WITH e ORDER BY e.uscc LIMIT $limit
  RETURN e AS node
  UNION
  MATCH (p:Person {person_id: $person_id})
  RETURN p AS node
}
WITH node, CASE WHEN node:Enterprise THEN 'enterprise' ELSE 'person' END AS kind
WHERE ($kind IS NULL OR kind = $kind)
  AND ($region IS NULL OR EXISTS {
    MATCH (node)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(:Region {code: $region}) })
RETURN kind, coalesce(node.uscc, node.person_id) AS id, node.name AS name, node.former_names AS former_names,
       node.former_names_until AS former_names_until, node.pinyin_keys AS pinyin_keys,
       node.region_code AS region_code, node.status AS status,
       $scope IS NULL OR EXISTS {
         MATCH (node)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(:Region {code: $scope}) } AS in_scope,
       null AS score
