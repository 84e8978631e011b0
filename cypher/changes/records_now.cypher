// Records as they are now, for known_at: the fields a check's answer shows or filters on, and their
// objections (the days they suspend the record's measures).
UNWIND $ids AS id
MATCH (r:Record {record_id: id})
RETURN r {.record_id, .subject_id, .kind, .category, .authority_id, .document_no, .decided_on, .valid_until, .status,
          .ended_on} AS record,
       COLLECT { MATCH (o:Objection)-[:OBJECTS_TO]->(r) RETURN o {.objection_id, .notice_on, .resolved_on} } AS objections
