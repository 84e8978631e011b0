// Benchmark baseline only (bench/api.py): the check of one subject answered from records, roles and
// holdings at query time, ignoring the materialised liabilities. For each rule of $rules (those
// whose measures touch the action, as graph_service.propagation.steps.rule_param writes them, with
// `reach`) the records that bind the subject on $as_of: concerning it (subject), naming it
// (named_responsible), concerning an enterprise where it held a role on the anchor day (roles), or
// concerning a person serving in it on $as_of (serving). Releases, objections and the loss of
// incentives are left out: the baseline prices the walk, not every rule.
CALL () {
  MATCH (e:Enterprise {uscc: $subject_id}) RETURN e AS s
  UNION
  MATCH (p:Person {person_id: $subject_id}) RETURN p AS s
}
UNWIND $rules AS rule
CALL (s, rule) {
  MATCH (r:Record)-[:CONCERNS]->(s)
  WHERE rule.reach = 'subject'
  RETURN r, 'subject' AS role
  UNION
  MATCH (r:Record)-[:NAMES_RESPONSIBLE]->(s)
  WHERE rule.reach = 'named_responsible'
  RETURN r, 'named_responsible' AS role
  UNION
  MATCH (s)-[h:HOLDS_ROLE|HOLDS_SHARES]->(:Enterprise)<-[:CONCERNS]-(r:Record)
  WHERE rule.reach = 'roles' AND s:Person
    AND CASE type(h) WHEN 'HOLDS_SHARES' THEN 'shareholder' ELSE h.role END IN rule.roles
    AND (NOT rule.require_named OR EXISTS { (r)-[:NAMES_RESPONSIBLE]->(s) })
    AND CASE rule.anchor
          WHEN 'as_of' THEN (h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on)
          WHEN 'misconduct_date' THEN (h.start_on IS NULL OR h.start_on <= coalesce(r.misconduct_on, r.decided_on))
                                      AND (h.end_on IS NULL OR coalesce(r.misconduct_on, r.decided_on) < h.end_on)
          ELSE (h.start_on IS NULL OR h.start_on <= r.decided_on) AND (h.end_on IS NULL OR r.decided_on < h.end_on) END
  RETURN r, CASE type(h) WHEN 'HOLDS_SHARES' THEN 'shareholder' ELSE h.role END AS role
  UNION
  MATCH (s)<-[h:HOLDS_ROLE]-(:Person)<-[:CONCERNS]-(r:Record)
  WHERE rule.reach = 'serving' AND s:Enterprise AND h.role IN rule.roles
    AND (h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on)
  RETURN r, h.role AS role
}
WITH rule, r, role
WHERE r.kind IN rule.kinds AND r.subject_kind IN rule.subject_kinds
  AND (rule.categories IS NULL OR r.category IN rule.categories)
  AND (rule.severities IS NULL OR r.severity IN rule.severities)
  AND r.decided_on <= $as_of AND (r.valid_until IS NULL OR $as_of <= r.valid_until)
  AND (r.ended_on IS NULL OR $as_of < r.ended_on)
RETURN rule.id AS rule_id, r.record_id AS record_id, role, rule.measures AS measures
