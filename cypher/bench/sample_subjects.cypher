// Benchmark only (bench/api.py): subjects to check, at most $n of each kind: enterprises and persons
// in id order from a pseudo-random offset, and the subjects bound by some liability.
CALL () {
  MATCH (e:Enterprise) WITH e SKIP $skip LIMIT $n RETURN 'enterprise' AS kind, e.uscc AS id
  UNION
  MATCH (p:Person) WITH p SKIP $skip LIMIT $n RETURN 'person' AS kind, p.person_id AS id
  UNION
  MATCH (l:Liability) WITH DISTINCT l.subject_kind AS kind, l.subject_id AS id LIMIT $n RETURN 'bound_' + kind AS kind, id
}
RETURN kind, id
