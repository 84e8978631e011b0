// Benchmark only (bench/api.py): names to search for, at most $n of each kind, in id order from a
// pseudo-random offset, with what a query about them may also carry.
CALL () {
  MATCH (e:Enterprise) WITH e SKIP $skip LIMIT $n
  RETURN 'enterprise' AS kind, e.uscc AS id, e.name AS name
  UNION
  MATCH (p:Person) WITH p SKIP $skip LIMIT $n
  RETURN 'person' AS kind, p.person_id AS id, p.name AS name
}
RETURN kind, id, name
