// Fault tests (tests/test_load_neo4j_killed.py): every keyed node and every relationship between
// keyed nodes, sorted, with all its properties; the caller leaves out the times of writing and
// hashes the rows. A node's key is the first of $keys it has (uscc, person_id, code, ...); Load
// nodes, which count the runs of a load, and nodes without a key are not part of it.
CALL () {
  MATCH (n)
  WHERE NOT n:Load
  WITH n, [k IN $keys WHERE n[k] IS NOT NULL | k + '=' + toString(n[k])][0] AS key
  WHERE key IS NOT NULL
  RETURN 'node' AS kind, key AS src, '' AS dst, '' AS type, labels(n) AS labels, properties(n) AS props
  UNION ALL
  MATCH (a)-[r]->(b)
  WHERE NOT a:Load AND NOT b:Load
  WITH a, r, b, [k IN $keys WHERE a[k] IS NOT NULL | k + '=' + toString(a[k])][0] AS src,
       [k IN $keys WHERE b[k] IS NOT NULL | k + '=' + toString(b[k])][0] AS dst
  WHERE src IS NOT NULL AND dst IS NOT NULL
  RETURN 'relationship' AS kind, src, dst, type(r) AS type, [] AS labels, properties(r) AS props
}
RETURN kind, src, dst, type, labels, props
ORDER BY kind, src, dst, type, coalesce(props.key, '')
