// The neighbourhoods of watched subjects (the alerter; docs/changes.md, Watches): for each
// {id, depth} of $watched (depth 0-2), the subjects within `depth` role or holding links in force
// on $today, each once with a shortest path (ids from the watched subject, and the links' names),
// at most $max_nodes per watched subject.
UNWIND $watched AS x
CALL (x) {
  OPTIONAL MATCH (e:Enterprise {uscc: x.id})
  OPTIONAL MATCH (p:Person {person_id: x.id})
  RETURN coalesce(e, p) AS w
}
WITH x, w WHERE w IS NOT NULL
CALL (x, w) {
  MATCH path = (w) (()-[r:HOLDS_ROLE|HOLDS_SHARES WHERE (r.start_on IS NULL OR r.start_on <= $today)
                                                  AND (r.end_on IS NULL OR $today < r.end_on)]-()){0,2} (n)
  WHERE length(path) <= x.depth
  WITH n, path ORDER BY length(path)
  WITH n, head(collect(path)) AS path
  RETURN n, path LIMIT $max_nodes
}
RETURN x.id AS watched, coalesce(n.uscc, n.person_id) AS subject, length(path) AS hops,
       [m IN nodes(path) | coalesce(m.uscc, m.person_id)] AS ids,
       [r IN relationships(path) | CASE type(r) WHEN 'HOLDS_ROLE' THEN r.role
                                   ELSE 'shareholder' + CASE WHEN r.ratio IS NULL THEN '' ELSE ' ' + toString(r.ratio) END END] AS links
