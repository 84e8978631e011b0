// What a judgement changed, kept with it for its undo: the records whose liabilities were
// recomputed and the notifications the recompute created.
MATCH (r:Resolution {resolution_id: $resolution_id})
SET r.record_ids = $record_ids, r.notifications_created = $notifications
RETURN r {.*} AS resolution
