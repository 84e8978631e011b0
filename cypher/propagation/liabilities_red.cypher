// Incentive liabilities of red records ($rules: red rules, reach `subject`). The incentives last
// the record's window and are lost for good on the first day, on or after the red record's
// decision, on which (a) the subject has a black record in force, (b) the subject is bound by a
// black-derived liability carrying rule.liable_measure, or (c) a person holding one of
// rule.liable_roles in the subject that day is bound by such a liability or (rule.lost_black_holder)
// has a black record of his own in force. Runs after the black
// records' liabilities are in place; it replaces the records' earlier liabilities. The liability keeps why it was lost: lost_on, lost_record_id
// and lost_path (the black record's path to the subject).
CALL () {
  UNWIND $record_ids AS rid
  MATCH (l:Liability {record_id: rid})
  USING INDEX l:Liability(record_id)
  DETACH DELETE l
}
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
WITH r, s, rf, rt, rule,
     CASE WHEN rule.lost_black THEN COLLECT {
       MATCH (s)<-[:CONCERNS]-(b:Record)
       WHERE b.kind = 'black' AND b.decided_on IS NOT NULL
       WITH b, CASE WHEN b.decided_on > rf THEN b.decided_on ELSE rf END AS cf,
            CASE WHEN b.status IN ['revoked', 'repaired'] AND b.ended_on IS NOT NULL
                      AND (b.valid_until IS NULL OR b.ended_on <= b.valid_until)
                 THEN b.ended_on ELSE b.valid_until + duration('P1D') END AS bt
       WHERE bt IS NULL OR cf < bt
       RETURN {on: cf, record_id: b.record_id, path: ['record:' + b.record_id, r.subject_kind + ':' + r.subject_id]}
     } ELSE [] END
     + COLLECT {
       MATCH (s)<-[:BINDS]-(l:Liability)
       WHERE l.record_kind = 'black' AND rule.liable_measure IN l.measures
       WITH l, CASE WHEN l.valid_from > rf THEN l.valid_from ELSE rf END AS cf
       WHERE l.valid_to IS NULL OR cf < l.valid_to
       RETURN {on: cf, record_id: l.record_id, path: l.path}
     }
     + COLLECT {
       MATCH (s)<-[h:HOLDS_ROLE]-(:Person)<-[:BINDS]-(l:Liability)
       WHERE h.role IN rule.liable_roles AND l.record_kind = 'black' AND rule.liable_measure IN l.measures
       WITH h, l, CASE WHEN l.valid_from > rf THEN l.valid_from ELSE rf END AS cf0
       WITH h, l, CASE WHEN h.start_on > cf0 THEN h.start_on ELSE cf0 END AS cf,
            CASE WHEN h.end_on IS NOT NULL AND (l.valid_to IS NULL OR h.end_on < l.valid_to)
                 THEN h.end_on ELSE l.valid_to END AS ct
       WHERE ct IS NULL OR cf < ct
       RETURN {on: cf, record_id: l.record_id,
               path: l.path + [h.role + ' ' + coalesce(toString(h.start_on), '') + '..' + coalesce(toString(h.end_on), ''),
                               r.subject_kind + ':' + r.subject_id]}
     }
     + CASE WHEN rule.lost_black_holder THEN COLLECT {
       MATCH (s)<-[h:HOLDS_ROLE]-(p:Person)<-[:CONCERNS]-(b:Record)
       WHERE h.role IN rule.liable_roles AND b.kind = 'black' AND b.decided_on IS NOT NULL
       WITH h, p, b, CASE WHEN b.decided_on > rf THEN b.decided_on ELSE rf END AS cf0,
            CASE WHEN b.status IN ['revoked', 'repaired'] AND b.ended_on IS NOT NULL
                      AND (b.valid_until IS NULL OR b.ended_on <= b.valid_until)
                 THEN b.ended_on ELSE b.valid_until + duration('P1D') END AS bt
       WITH h, p, b, CASE WHEN h.start_on > cf0 THEN h.start_on ELSE cf0 END AS cf,
            CASE WHEN h.end_on IS NOT NULL AND (bt IS NULL OR h.end_on < bt) THEN h.end_on ELSE bt END AS ct
       WHERE ct IS NULL OR cf < ct
       RETURN {on: cf, record_id: b.record_id,
               path: ['record:' + b.record_id, 'person:' + p.person_id,
                      h.role + ' ' + coalesce(toString(h.start_on), '') + '..' + coalesce(toString(h.end_on), ''),
                      r.subject_kind + ':' + r.subject_id]}
     } ELSE [] END AS exits
// The first exit; on a tie, the least record id, then the least path (joined by '|').
WITH r, s, rf, rt, rule,
     reduce(m = null, c IN exits |
       CASE WHEN m IS NULL OR c.on < m.on
                 OR (c.on = m.on AND (c.record_id < m.record_id
                     OR (c.record_id = m.record_id
                         AND reduce(t = '', x IN c.path | t + '|' + x) < reduce(t = '', x IN m.path | t + '|' + x))))
            THEN c ELSE m END) AS first_exit
WITH r, s, rf, rule,
     CASE WHEN first_exit IS NOT NULL AND (rt IS NULL OR first_exit.on < rt) THEN first_exit END AS lost,
     CASE WHEN first_exit IS NOT NULL AND (rt IS NULL OR first_exit.on < rt) THEN first_exit.on ELSE rt END AS vt
WHERE vt IS NULL OR rf < vt
MERGE (l:Liability {liability_id: rule.id + '|' + r.record_id + '|' + r.subject_id + '|subject'})
SET l = {
  liability_id: rule.id + '|' + r.record_id + '|' + r.subject_id + '|subject',
  rule_id: rule.id, record_id: r.record_id, record_kind: r.kind,
  subject_id: r.subject_id, subject_kind: r.subject_kind,
  role: 'subject', role_key: 'subject',
  anchor: rule.anchor, anchor_on: r.decided_on,
  path: ['record:' + r.record_id, r.subject_kind + ':' + r.subject_id],
  legal_basis: rule.legal_basis, measures: rule.measures,
  valid_from: rf, valid_to: vt, lost_on: lost.on, lost_record_id: lost.record_id, lost_path: lost.path
}
MERGE (r)-[:GIVES_RISE_TO]->(l)
MERGE (l)-[:BINDS]->(s)
RETURN count(l) AS created
