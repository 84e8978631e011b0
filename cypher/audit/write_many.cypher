// Person-level reads of one request that names several persons (a page or an export of a
// published list): one entry per person, all in one transaction, written before the answer leaves.
UNWIND $subject_ids AS subject_id
CREATE (a:AuditEntry {audit_id: randomUUID(), at: datetime(), key_id: $key_id, role: $role,
                      purpose: $purpose, endpoint: $endpoint, subject_kind: $subject_kind,
                      subject_id: subject_id, as_of: $as_of})
RETURN count(a) AS written
