// Appends a transaction's change-log entries (docs/changes.md), as its last statement
// (graph_service.runner). $entries: [{kind, key, usccs, person_ids, regions, actor, department,
// effective_on, before, after}] (before and after: JSON text). An entry's regions are the codes
// it names and the registration regions of its subjects, each with its ancestors (a key of a city
// reads its counties' changes); a retired code counts in its successor. Each entry gets the next sequence
// number, the change set the first one of the transaction and set_end its last one. The counter is locked last and held
// to the commit, so no transaction takes a higher number before a lower one is visible: a reader
// that keeps the last number it saw never misses or repeats an entry. No statement changes an
// entry once its transaction committed.
// Derived entries (liabilities, decisions) name no actor: theirs is the change's, the set's first.
WITH [e IN $entries WHERE e.actor IS NOT NULL][0] AS first
UNWIND $entries AS e
CREATE (x:Change {kind: e.kind, key: e.key, subjects: e.usccs + e.person_ids, regions: e.regions,
                  actor: coalesce(e.actor, first.actor, 'system'),
                  department: CASE WHEN e.actor IS NULL THEN first.department ELSE e.department END, effective_on: e.effective_on,
                  before: e.before, after: e.after})
WITH x, e
CALL (x, e) {
  UNWIND e.usccs AS id
  MATCH (n:Enterprise {uscc: id})
  CREATE (x)-[:ABOUT]->(n)
}
CALL (x, e) {
  UNWIND e.person_ids AS id
  MATCH (n:Person {person_id: id})
  CREATE (x)-[:ABOUT]->(n)
}
// Regions the writer did not resolve itself (e.resolved: graph_service.changelog.entry).
CALL (x, e) {
  WITH x, e WHERE NOT e.resolved
  WITH x, e.regions + COLLECT { MATCH (x)-[:ABOUT]->()-[:REGISTERED_IN]->(r:Region) RETURN r.code } AS codes
  WITH x, codes, COLLECT {
    UNWIND codes AS code
    MATCH (w:Region {code: code})
    MATCH (:Region {code: coalesce(w.successor, w.code)})-[:PART_OF*0..]->(a:Region)
    RETURN DISTINCT a.code
  } AS up
  SET x.regions = up + [c IN codes WHERE NOT c IN up]
}
WITH collect(x) AS xs
MERGE (c:ChangeCounter {name: 'changes'})
ON CREATE SET c.next = 1
// A read of c.next on the right of SET takes the write lock first (no lost update).
SET c.next = c.next + size(xs)
WITH xs, c.next - size(xs) AS base, c.next - 1 AS last, datetime.realtime() AS at
UNWIND range(0, size(xs) - 1) AS i
WITH xs[i] AS x, base, last, i, at
SET x.seq = base + i, x.set = base, x.set_end = last, x.at = at
RETURN base AS set, count(*) AS entries
