// The credit of one subject on $as_of (GET /v1/{enterprises|persons}/{id}/credit): its records
// decided by then (in force or not), and every liability binding it in force that day, with the
// record, rule, role, path and window behind it. A liability whose record is under objection that
// day (Objection [notice_on, resolved_on), Chenzhou item 21) is returned with suspended = true.
OPTIONAL MATCH (e:Enterprise {uscc: $subject_id})
WHERE $subject_kind = 'enterprise'
OPTIONAL MATCH (p:Person {person_id: $subject_id})
WHERE $subject_kind = 'person'
WITH coalesce(e, p) AS s
RETURN s IS NOT NULL AS found, s.name AS name,
  COLLECT {
    MATCH (r:Record {subject_id: $subject_id})
    WHERE r.subject_kind = $subject_kind AND r.decided_on <= $as_of
    RETURN r {.record_id, .kind, .category, .severity, .authority_id, .authority_region, .document_no,
              .misconduct_on, .decided_on, .published_on, .valid_until, .legal_basis, .status, .ended_on,
              .responsible_person_ids,
              in_force: r.decided_on <= $as_of AND (r.valid_until IS NULL OR $as_of <= r.valid_until)
                        AND NOT (r.status IN ['revoked', 'repaired'] AND r.ended_on IS NOT NULL AND r.ended_on <= $as_of)}
    ORDER BY r.decided_on DESC, r.record_id
  } AS records,
  COLLECT {
    MATCH (l:Liability {subject_id: $subject_id})
    WHERE l.subject_kind = $subject_kind AND l.valid_from <= $as_of AND (l.valid_to IS NULL OR $as_of < l.valid_to)
    MATCH (r:Record)-[:GIVES_RISE_TO]->(l)
    RETURN l {.*,
              record: r {.record_id, .kind, .category, .severity, .subject_kind, .subject_id, .authority_id,
                         .document_no, .misconduct_on, .decided_on, .valid_until, .status, .ended_on},
              suspended: EXISTS {
                MATCH (o:Objection)-[:OBJECTS_TO]->(r)
                WHERE o.notice_on <= $as_of AND (o.resolved_on IS NULL OR $as_of < o.resolved_on)
              }}
    ORDER BY l.record_kind, l.valid_from, l.liability_id
  } AS liabilities
