// Credit checks (POST /v1/checks and /v1/checks/batch, 应查必查) in one statement; a single check
// is a batch of one. For each entry of $checks ({subject_id, as_of: an ISO date, measures: those
// restricting or favouring the action asked about}), with the entry's position `i`: found as
// enterprise or person, the liabilities binding it in force on as_of that carry one of its
// measures, each with its record (suspended = the record is under objection that day), and the
// incentives carrying one of its measures that it would still enjoy (its red record is in force)
// but lost on lost_on, with the black record and path that made it lose them.
// One row with a map per entry: a record per entry costs the driver a round of socket reads each.
// Days come as ISO strings (graph_service.credit turns them into dates): the driver's temporal
// values cost more to unpack and convert than the rest of a batch's answer.
// A subject merged into another by a "same" judgement is checked as the canonical one (`canonical`;
// docs/search.md, Identity): its liabilities are that subject's.
// `seq`: the last change-log number given when the statement read (the stored check keeps it; a
// replay at it must give the same answer: docs/changes.md, "known_at").
OPTIONAL MATCH (counter:ChangeCounter {name: 'changes'})
WITH coalesce(counter.next, 1) - 1 AS seq
UNWIND range(0, size($checks) - 1) AS i
WITH seq, i, $checks[i] AS c
WITH seq, i, c.subject_id AS given, date(c.as_of) AS d, c.measures AS ms
OPTIONAL MATCH (e:Enterprise {uscc: given})
OPTIONAL MATCH (p:Person {person_id: given})
WITH seq, i, d, ms, e, p, coalesce(e.merged_into, p.merged_into) AS canonical
WITH seq, i, d, ms, e, p, canonical, coalesce(canonical, e.uscc, p.person_id) AS sid
RETURN collect({i: i, seq: seq, is_enterprise: e IS NOT NULL, is_person: p IS NOT NULL, canonical: canonical,
  liabilities: COLLECT {
    MATCH (l:Liability {subject_id: sid})
    WHERE l.valid_from <= d AND (l.valid_to IS NULL OR d < l.valid_to)
      AND any(m IN l.measures WHERE m IN ms)
    MATCH (r:Record)-[:GIVES_RISE_TO]->(l)
    RETURN l {.liability_id, .rule_id, .record_id, .record_kind, .subject_kind, .role,
              role_start: toString(l.role_start), role_end: toString(l.role_end),
              .anchor, anchor_on: toString(l.anchor_on), .path, .legal_basis, .measures,
              valid_from: toString(l.valid_from), valid_to: toString(l.valid_to),
              record: r {.record_id, .kind, .category, .authority_id, .document_no, decided_on: toString(r.decided_on)},
              suspended: EXISTS {
                MATCH (o:Objection)-[:OBJECTS_TO]->(r)
                WHERE o.notice_on <= d AND (o.resolved_on IS NULL OR d < o.resolved_on)
              }}
    ORDER BY l.liability_id
  },
  lost: COLLECT {
    MATCH (l:Liability {subject_id: sid})
    WHERE l.lost_on IS NOT NULL AND l.lost_on <= d AND any(m IN l.measures WHERE m IN ms)
    MATCH (r:Record)-[:GIVES_RISE_TO]->(l)
    WHERE r.decided_on <= d AND (r.valid_until IS NULL OR d <= r.valid_until)
      AND NOT (r.status IN ['revoked', 'repaired'] AND r.ended_on IS NOT NULL AND r.ended_on <= d)
    RETURN l {.liability_id, .rule_id, .record_id, .record_kind, .subject_kind, .role, .anchor,
              anchor_on: toString(l.anchor_on), .path, .legal_basis, .measures, valid_from: toString(l.valid_from),
              valid_to: toString(l.valid_to), lost_on: toString(l.lost_on), .lost_record_id, .lost_path,
              record: r {.record_id, .kind, .category, .authority_id, .document_no, decided_on: toString(r.decided_on)}}
    ORDER BY l.liability_id
  }
}) AS rows
