// What green-channel eligibility (policy item 6) needs about one subject: when it was
// established; its own records with their objection windows and, for red records, the day their
// incentives were lost; and the black-derived liabilities that put a record in its personal credit
// record ($personal_record: the measure that does so), with their source record.
OPTIONAL MATCH (e:Enterprise {uscc: $subject_id})
OPTIONAL MATCH (p:Person {person_id: $subject_id})
WITH coalesce(e, p) AS s, e
WHERE s IS NOT NULL
RETURN CASE WHEN e IS NULL THEN 'person' ELSE 'enterprise' END AS subject_kind,
  s.name AS name, e.established_on AS established_on,
  COLLECT { MATCH (s)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..]->(a:Region) RETURN a.code } AS region_codes,
  COLLECT {
    MATCH (r:Record)-[:CONCERNS]->(s)
    RETURN r {.record_id, .kind, .category, .decided_on, .valid_until, .status, .ended_on,
              objections: COLLECT { MATCH (o:Objection)-[:OBJECTS_TO]->(r) RETURN o {.notice_on, .resolved_on} },
              lost_on: COLLECT { MATCH (r)-[:GIVES_RISE_TO]->(l:Liability)-[:BINDS]->(s)
                                 WHERE l.lost_on IS NOT NULL RETURN l.lost_on }}
    ORDER BY r.decided_on, r.record_id
  } AS records,
  COLLECT {
    MATCH (s)<-[:BINDS]-(l:Liability)<-[:GIVES_RISE_TO]-(r:Record)
    WHERE l.record_kind = 'black' AND $personal_record IN l.measures AND r.subject_id <> $subject_id
    RETURN l {.liability_id, .rule_id, .valid_from, .valid_to, .role,
              record: r {.record_id, .kind, .category, .decided_on, .valid_until, .status, .ended_on,
                         objections: COLLECT { MATCH (o:Objection)-[:OBJECTS_TO]->(r) RETURN o {.notice_on, .resolved_on} }}}
    ORDER BY l.valid_from, l.liability_id
  } AS liabilities
