// Incentives a subject has lost by $as_of (GET /v1/{enterprises|persons}/{id}/credit): liabilities
// of red records still in force that day whose incentives ended on lost_on <= $as_of because of a
// black record (lost_record_id, lost_path). The loss is final (docs/propagation.md, "Red records").
MATCH (l:Liability {subject_id: $subject_id})
WHERE l.subject_kind = $subject_kind AND l.lost_on IS NOT NULL AND l.lost_on <= $as_of
MATCH (r:Record)-[:GIVES_RISE_TO]->(l)
WHERE r.decided_on <= $as_of AND (r.valid_until IS NULL OR $as_of <= r.valid_until)
  AND NOT (r.status IN ['revoked', 'repaired'] AND r.ended_on IS NOT NULL AND r.ended_on <= $as_of)
RETURN l {.*,
          record: r {.record_id, .kind, .category, .severity, .subject_kind, .subject_id, .authority_id,
                     .document_no, .misconduct_on, .decided_on, .valid_until, .status, .ended_on}} AS liability
ORDER BY l.liability_id
