// Credit check (POST /v1/checks, 应查必查): is the subject found (enterprise or person with this
// id), and the liabilities binding it in force on $as_of that carry one of $measures (the measures
// restricting or favouring the action asked about), each with its record; suspended = the record
// is under objection that day. `lost`: incentives carrying one of $measures that the subject
// would still enjoy on $as_of (its red record is in force) but lost on lost_on, with the black
// record and path that made it lose them.
OPTIONAL MATCH (e:Enterprise {uscc: $subject_id})
OPTIONAL MATCH (p:Person {person_id: $subject_id})
RETURN e IS NOT NULL AS is_enterprise, p IS NOT NULL AS is_person,
  COLLECT {
    MATCH (l:Liability {subject_id: $subject_id})
    WHERE l.valid_from <= $as_of AND (l.valid_to IS NULL OR $as_of < l.valid_to)
      AND any(m IN l.measures WHERE m IN $measures)
    MATCH (r:Record)-[:GIVES_RISE_TO]->(l)
    RETURN l {.liability_id, .rule_id, .record_id, .record_kind, .subject_kind, .role, .role_start, .role_end,
              .anchor, .anchor_on, .path, .legal_basis, .measures, .valid_from, .valid_to,
              record: r {.record_id, .kind, .category, .authority_id, .document_no, .decided_on},
              suspended: EXISTS {
                MATCH (o:Objection)-[:OBJECTS_TO]->(r)
                WHERE o.notice_on <= $as_of AND (o.resolved_on IS NULL OR $as_of < o.resolved_on)
              }}
    ORDER BY l.liability_id
  } AS liabilities,
  COLLECT {
    MATCH (l:Liability {subject_id: $subject_id})
    WHERE l.lost_on IS NOT NULL AND l.lost_on <= $as_of AND any(m IN l.measures WHERE m IN $measures)
    MATCH (r:Record)-[:GIVES_RISE_TO]->(l)
    WHERE r.decided_on <= $as_of AND (r.valid_until IS NULL OR $as_of <= r.valid_until)
      AND NOT (r.status IN ['revoked', 'repaired'] AND r.ended_on IS NOT NULL AND r.ended_on <= $as_of)
    RETURN l {.liability_id, .rule_id, .record_id, .record_kind, .subject_kind, .role, .anchor, .anchor_on, .path,
              .legal_basis, .measures, .valid_from, .valid_to, .lost_on, .lost_record_id, .lost_path,
              record: r {.record_id, .kind, .category, .authority_id, .document_no, .decided_on}}
    ORDER BY l.liability_id
  } AS lost
