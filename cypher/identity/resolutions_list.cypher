// The judgements kept (GET /v1/resolutions), newest first: every one, or those naming $subject_id
// (given, kept canonical or merged). Undone ones included, marked.
MATCH (r:Resolution)
WHERE $subject_id IS NULL OR $subject_id IN r.subject_ids OR r.canonical_id = $subject_id
   OR r.merged_id = $subject_id
RETURN r {.*} AS resolution
ORDER BY r.at DESC, r.resolution_id
SKIP $offset
LIMIT $limit
