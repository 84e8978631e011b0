// Delete the liabilities of these records before they are recomputed. Returns the subjects the
// deleted black-derived liabilities bound (red records about them, or about enterprises they
// represent, may regain or lose their incentives) and the deleted liabilities' fields (the change
// log compares them with what is derived again: graph_service.propagation.consequences).
UNWIND $record_ids AS rid
MATCH (l:Liability {record_id: rid})
USING INDEX l:Liability(record_id)
WITH l, CASE WHEN l.record_kind = 'black' THEN l.subject_id END AS bound, l {.*} AS was
DETACH DELETE l
RETURN collect(DISTINCT bound) AS bound_ids, collect(was) AS cleared
