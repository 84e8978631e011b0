// Delete the liabilities of these records before they are recomputed. Returns the subjects the
// deleted black-derived liabilities bound: red records about them (or about enterprises they
// represent) may regain or lose their incentives.
UNWIND $record_ids AS rid
MATCH (l:Liability {record_id: rid})
USING INDEX l:Liability(record_id)
WITH l, CASE WHEN l.record_kind = 'black' THEN l.subject_id END AS bound
DETACH DELETE l
RETURN collect(DISTINCT bound) AS bound_ids
