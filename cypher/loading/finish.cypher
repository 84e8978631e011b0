// Marks a load as done or failed, with its counts per file (JSON text).
MATCH (l:Load {load_id: $load_id})
SET l.status = $status, l.finished_at = $finished_at, l.counts = $counts
