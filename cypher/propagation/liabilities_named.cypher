// Liabilities binding the persons a record names as directly responsible ($rules: reach
// `named_responsible`). They last the record's window, cut at a release for releasable rules.
UNWIND $record_ids AS rid
MATCH (r:Record {record_id: rid})-[:NAMES_RESPONSIBLE]->(p:Person)
USING INDEX r:Record(record_id)
WITH r, p, r.decided_on AS rf,
     CASE WHEN r.status IN ['revoked', 'repaired'] AND r.ended_on IS NOT NULL
               AND (r.valid_until IS NULL OR r.ended_on <= r.valid_until)
          THEN r.ended_on ELSE r.valid_until + duration('P1D') END AS rt
WHERE rf IS NOT NULL AND (rt IS NULL OR rf < rt)
UNWIND $rules AS rule
WITH r, p, rf, rt, rule
WHERE r.kind IN rule.kinds AND r.subject_kind IN rule.subject_kinds
  AND (rule.categories IS NULL OR r.category IN rule.categories)
  AND (rule.severities IS NULL OR r.severity IN rule.severities)
WITH r, p, rf, rt, rule,
     reduce(m = null, d IN CASE WHEN rule.releasable THEN COLLECT { MATCH (p)-[x:RELEASED_FROM]->(r) RETURN x.on } ELSE [] END
            | CASE WHEN m IS NULL OR d < m THEN d ELSE m END) AS released
WITH r, p, rf, rule,
     CASE WHEN released IS NOT NULL AND (rt IS NULL OR released < rt) THEN released END AS released_on,
     CASE WHEN released IS NOT NULL AND (rt IS NULL OR released < rt) THEN released ELSE rt END AS vt
WHERE vt IS NULL OR rf < vt
MERGE (l:Liability {liability_id: rule.id + '|' + r.record_id + '|' + p.person_id + '|named'})
SET l = {
  liability_id: rule.id + '|' + r.record_id + '|' + p.person_id + '|named',
  rule_id: rule.id, record_id: r.record_id, record_kind: r.kind,
  subject_id: p.person_id, subject_kind: 'person',
  role: 'named_responsible', role_key: 'named',
  anchor: rule.anchor, anchor_on: r.decided_on,
  path: ['record:' + r.record_id, r.subject_kind + ':' + r.subject_id, 'named_responsible', 'person:' + p.person_id],
  legal_basis: rule.legal_basis, measures: rule.measures,
  valid_from: rf, valid_to: vt, released_on: released_on
}
MERGE (r)-[:GIVES_RISE_TO]->(l)
MERGE (l)-[:BINDS]->(p)
RETURN count(l) AS created
