// Benchmark only (bench/propagation.py): remove up to $batch records an earlier run wrote (ids
// starting with $prefix) with what was derived from them, so the graph is the bundle's again once
// propagation is recomputed in full.
MATCH (r:Record) WHERE r.record_id STARTS WITH $prefix
WITH r LIMIT $batch
OPTIONAL MATCH (r)-[:GIVES_RISE_TO]->(l:Liability)
OPTIONAL MATCH (r)-[:NOTIFIES]->(n:Notification)
DETACH DELETE l, n, r
RETURN count(DISTINCT r) AS deleted
