// The records among $record_ids whose measures are suspended on $as_of by an objection under
// verification: [notice_on, resolved_on).
UNWIND $record_ids AS rid
MATCH (o:Objection)-[:OBJECTS_TO]->(r:Record {record_id: rid})
WHERE o.notice_on <= $as_of AND (o.resolved_on IS NULL OR $as_of < o.resolved_on)
RETURN r.record_id AS record_id, o.objection_id AS objection_id, o.notice_on AS notice_on,
       o.due_on AS due_on
