// Liabilities binding the record's own subject ($rules: reach `subject`, not red). The liability
// lasts the record's window [decided_on, min(valid_until + 1 day, ended_on when revoked/repaired)).
UNWIND $record_ids AS rid
MATCH (r:Record {record_id: rid})-[:CONCERNS]->(s)
USING INDEX r:Record(record_id)
WITH r, s, r.decided_on AS rf,
     CASE WHEN r.status IN ['revoked', 'repaired'] AND r.ended_on IS NOT NULL
               AND (r.valid_until IS NULL OR r.ended_on <= r.valid_until)
          THEN r.ended_on ELSE r.valid_until + duration('P1D') END AS rt
WHERE rf IS NOT NULL AND (rt IS NULL OR rf < rt)
UNWIND $rules AS rule
WITH r, s, rf, rt, rule
WHERE r.kind IN rule.kinds AND r.subject_kind IN rule.subject_kinds
  AND (rule.categories IS NULL OR r.category IN rule.categories)
  AND (rule.severities IS NULL OR r.severity IN rule.severities)
MERGE (l:Liability {liability_id: rule.id + '|' + r.record_id + '|' + r.subject_id + '|subject'})
SET l = {
  liability_id: rule.id + '|' + r.record_id + '|' + r.subject_id + '|subject',
  rule_id: rule.id, record_id: r.record_id, record_kind: r.kind,
  subject_id: r.subject_id, subject_kind: r.subject_kind,
  role: 'subject', role_key: 'subject',
  anchor: rule.anchor, anchor_on: r.decided_on,
  path: ['record:' + r.record_id, r.subject_kind + ':' + r.subject_id],
  legal_basis: rule.legal_basis, measures: rule.measures,
  valid_from: rf, valid_to: rt
}
MERGE (r)-[:GIVES_RISE_TO]->(l)
MERGE (l)-[:BINDS]->(s)
RETURN count(l) AS created
