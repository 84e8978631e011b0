// Liabilities binding persons by their role in the subject enterprise ($rules: reach `roles`;
// `shareholder` = a person's HOLDS_SHARES). Anchor misconduct_date / decision_date: the role is
// held on that day (half-open [start_on, end_on)) and the liability lasts the record's window.
// Anchor as_of: every role overlapping the record's window gives a liability lasting the overlap;
// with rule.retain_decision_holders a role held on the decision date binds to the window's end
// (a change of legal representative after a court order does not lift the restriction).
// A release (RELEASED_FROM) cuts the window of a releasable rule at its `on`.
UNWIND $record_ids AS rid
MATCH (r:Record {record_id: rid})-[:CONCERNS]->(e:Enterprise)
USING INDEX r:Record(record_id)
WITH r, e, r.decided_on AS rf,
     CASE WHEN r.status IN ['revoked', 'repaired'] AND r.ended_on IS NOT NULL
               AND (r.valid_until IS NULL OR r.ended_on <= r.valid_until)
          THEN r.ended_on ELSE r.valid_until + duration('P1D') END AS rt
WHERE rf IS NOT NULL AND (rt IS NULL OR rf < rt)
UNWIND $rules AS rule
WITH r, e, rf, rt, rule
WHERE r.kind IN rule.kinds AND r.subject_kind IN rule.subject_kinds
  AND (rule.categories IS NULL OR r.category IN rule.categories)
  AND (rule.severities IS NULL OR r.severity IN rule.severities)
MATCH (e)<-[h:HOLDS_ROLE|HOLDS_SHARES]-(p:Person)
WITH r, e, rf, rt, rule, h, p,
     CASE type(h) WHEN 'HOLDS_SHARES' THEN 'shareholder' ELSE h.role END AS role,
     CASE rule.anchor WHEN 'misconduct_date' THEN coalesce(r.misconduct_on, r.decided_on)
                      WHEN 'decision_date' THEN r.decided_on END AS anchor_on,
     rule.retain_decision_holders AND (h.start_on IS NULL OR h.start_on <= rf)
       AND (h.end_on IS NULL OR rf < h.end_on) AS retained
WHERE role IN rule.roles
  AND (NOT rule.require_named OR EXISTS { (r)-[:NAMES_RESPONSIBLE]->(p) })
  AND CASE WHEN rule.anchor = 'as_of'
           THEN (h.end_on IS NULL OR rf < h.end_on) AND (rt IS NULL OR h.start_on IS NULL OR h.start_on < rt)
           ELSE (h.start_on IS NULL OR h.start_on <= anchor_on) AND (h.end_on IS NULL OR anchor_on < h.end_on) END
WITH r, e, rule, h, p, role, CASE WHEN retained THEN rf ELSE anchor_on END AS anchor_on,
     CASE WHEN rule.anchor = 'as_of' AND h.start_on > rf THEN h.start_on ELSE rf END AS vf,
     CASE WHEN rule.anchor = 'as_of' AND NOT retained AND h.end_on IS NOT NULL AND (rt IS NULL OR h.end_on < rt)
          THEN h.end_on ELSE rt END AS vt0,
     reduce(m = null, d IN CASE WHEN rule.releasable THEN COLLECT { MATCH (p)-[x:RELEASED_FROM]->(r) RETURN x.on } ELSE [] END
            | CASE WHEN m IS NULL OR d < m THEN d ELSE m END) AS released
WITH r, e, rule, h, p, role, anchor_on, vf,
     CASE WHEN released IS NOT NULL AND (vt0 IS NULL OR released < vt0) THEN released END AS released_on,
     CASE WHEN released IS NOT NULL AND (vt0 IS NULL OR released < vt0) THEN released ELSE vt0 END AS vt
WHERE vt IS NULL OR vf < vt
MERGE (l:Liability {liability_id: rule.id + '|' + r.record_id + '|' + p.person_id + '|' + h.key})
SET l = {
  liability_id: rule.id + '|' + r.record_id + '|' + p.person_id + '|' + h.key,
  rule_id: rule.id, record_id: r.record_id, record_kind: r.kind,
  subject_id: p.person_id, subject_kind: 'person',
  role: role, role_key: h.key, role_start: h.start_on, role_end: h.end_on,
  anchor: rule.anchor, anchor_on: anchor_on,
  path: ['record:' + r.record_id, 'enterprise:' + e.uscc,
         role + ' ' + coalesce(toString(h.start_on), '') + '..' + coalesce(toString(h.end_on), ''),
         'person:' + p.person_id],
  legal_basis: rule.legal_basis, measures: rule.measures,
  valid_from: vf, valid_to: vt, released_on: released_on
}
MERGE (r)-[:GIVES_RISE_TO]->(l)
MERGE (l)-[:BINDS]->(p)
RETURN count(l) AS created
