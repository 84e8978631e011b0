// Liabilities binding the enterprises where the record's subject person holds one of the rule's
// roles ($rules: reach `serving`), e.g. a listed dishonest debtor serving as a director (Company
// Law 178): the enterprise is flagged for its registering authority. Anchors as in
// liabilities_roles.cypher.
UNWIND $record_ids AS rid
MATCH (r:Record {record_id: rid})-[:CONCERNS]->(p:Person)
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
MATCH (p)-[h:HOLDS_ROLE]->(e:Enterprise)
WITH r, p, e, rf, rt, rule, h,
     CASE rule.anchor WHEN 'misconduct_date' THEN coalesce(r.misconduct_on, r.decided_on)
                      WHEN 'decision_date' THEN r.decided_on END AS anchor_on
WHERE h.role IN rule.roles
  AND CASE WHEN rule.anchor = 'as_of'
           THEN (h.end_on IS NULL OR rf < h.end_on) AND (rt IS NULL OR h.start_on IS NULL OR h.start_on < rt)
           ELSE (h.start_on IS NULL OR h.start_on <= anchor_on) AND (h.end_on IS NULL OR anchor_on < h.end_on) END
WITH r, p, e, rule, h, anchor_on,
     CASE WHEN rule.anchor = 'as_of' AND h.start_on > rf THEN h.start_on ELSE rf END AS vf,
     CASE WHEN rule.anchor = 'as_of' AND h.end_on IS NOT NULL AND (rt IS NULL OR h.end_on < rt)
          THEN h.end_on ELSE rt END AS vt
WHERE vt IS NULL OR vf < vt
MERGE (l:Liability {liability_id: rule.id + '|' + r.record_id + '|' + e.uscc + '|' + h.key})
SET l = {
  liability_id: rule.id + '|' + r.record_id + '|' + e.uscc + '|' + h.key,
  rule_id: rule.id, record_id: r.record_id, record_kind: r.kind,
  subject_id: e.uscc, subject_kind: 'enterprise',
  role: h.role, role_key: h.key, role_start: h.start_on, role_end: h.end_on,
  anchor: rule.anchor, anchor_on: anchor_on,
  path: ['record:' + r.record_id, 'person:' + p.person_id,
         h.role + ' ' + coalesce(toString(h.start_on), '') + '..' + coalesce(toString(h.end_on), ''),
         'enterprise:' + e.uscc],
  legal_basis: rule.legal_basis, measures: rule.measures,
  valid_from: vf, valid_to: vt
}
MERGE (r)-[:GIVES_RISE_TO]->(l)
MERGE (l)-[:BINDS]->(e)
RETURN count(l) AS created
