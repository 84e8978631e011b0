// The audit log, newest first; $subject_id null = every subject.
MATCH (a:AuditEntry)
WHERE $subject_id IS NULL OR a.subject_id = $subject_id
RETURN a {.*} AS entry
ORDER BY a.at DESC, a.audit_id
LIMIT $limit
