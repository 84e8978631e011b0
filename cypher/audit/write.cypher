// One person-level read by an investigator (or any caller who sees unmasked person data).
CREATE (a:AuditEntry {audit_id: $audit_id, at: datetime(), key_id: $key_id, role: $role,
                      purpose: $purpose, endpoint: $endpoint, subject_kind: $subject_kind,
                      subject_id: $subject_id, as_of: $as_of})
RETURN a.audit_id AS audit_id
