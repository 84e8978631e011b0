// Marks a judgement undone (POST /v1/resolutions/{id}/undo): kept in the history, with who undid it,
// when and why.
MATCH (r:Resolution {resolution_id: $resolution_id})
SET r.status = 'undone', r.undone_at = datetime($at), r.undone_by = $by, r.undo_reason = $reason
RETURN r {.*} AS resolution
