// The shortest paths between two subjects (GET /v1/paths) along roles and holdings (HOLDS_ROLE|HOLDS_SHARES), either way,
// every link held on $as_of (half-open [start_on, end_on)) or any link when $history; at most
// $max_depth links. SHORTEST 32 and {1,6} are the ceilings (CREDIT_GRAPH_PATHS_MAX_COUNT and
// CREDIT_GRAPH_PATHS_MAX_DEPTH may only lower them): paths differing only in parallel links (a
// person both legal representative and shareholder) are merged by the caller, so more are asked
// than the k answered. Paths visit each node once (the search itself would allow a node twice).
CALL () {
  MATCH (e:Enterprise {uscc: $from_id}) WHERE $from_kind = 'enterprise' RETURN e AS a
  UNION
  MATCH (p:Person {person_id: $from_id}) WHERE $from_kind = 'person' RETURN p AS a
}
CALL () {
  MATCH (e:Enterprise {uscc: $to_id}) WHERE $to_kind = 'enterprise' RETURN e AS b
  UNION
  MATCH (p:Person {person_id: $to_id}) WHERE $to_kind = 'person' RETURN p AS b
}
MATCH p = SHORTEST 32 (a)((:Person|Enterprise)-[r:HOLDS_ROLE|HOLDS_SHARES]-(:Person|Enterprise)
    WHERE $history OR ((r.start_on IS NULL OR r.start_on <= $as_of) AND (r.end_on IS NULL OR $as_of < r.end_on))){1,6}(b)
WHERE length(p) <= $max_depth
  AND all(i IN range(0, length(p) - 1) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
RETURN [n IN nodes(p) | {kind: CASE WHEN n:Person THEN 'person' ELSE 'enterprise' END,
                         id: coalesce(n.uscc, n.person_id), name: n.name, region_code: n.region_code}] AS nodes,
       [x IN relationships(p) | {key: x.key, type: type(x),
          relation: CASE type(x) WHEN 'HOLDS_ROLE' THEN 'role' ELSE 'shareholding' END,
          role: x.role, title: x.title, ratio: x.ratio, subscribed_capital: x.subscribed_capital,
          start_on: x.start_on, end_on: x.end_on,
          source: coalesce(startNode(x).uscc, startNode(x).person_id),
          source_kind: CASE WHEN startNode(x):Person THEN 'person' ELSE 'enterprise' END,
          target: endNode(x).uscc}] AS rels
ORDER BY length(p)
