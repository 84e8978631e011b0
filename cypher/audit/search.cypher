// The audit log, newest first (GET /v1/audit, `credit-graph audit`): each filter null = any.
// $purpose matches a purpose containing the text; $since inclusive, $until exclusive. Keyset
// pages: entries after ($after_at, $after_id) in this order, $after_at the `at_text` of the last
// entry of the previous page (Neo4j's own text: nanoseconds kept). One more than $limit is asked
// by the caller, to know whether a next page exists.
MATCH (a:AuditEntry)
WHERE ($key_id IS NULL OR a.key_id = $key_id)
  AND ($subject_id IS NULL OR a.subject_id = $subject_id)
  AND ($subject_kind IS NULL OR a.subject_kind = $subject_kind)
  AND ($purpose IS NULL OR a.purpose CONTAINS $purpose)
  AND ($since IS NULL OR a.at >= $since)
  AND ($until IS NULL OR a.at < $until)
  AND ($after_at IS NULL OR a.at < datetime($after_at)
       OR (a.at = datetime($after_at) AND a.audit_id > $after_id))
RETURN a {.*} AS entry, toString(a.at) AS at_text
ORDER BY a.at DESC, a.audit_id
LIMIT $limit
