// The liabilities binding the given subjects on $today, for the decisions a change made
// (graph_service.propagation.consequences): what measures they carry and whether their record is
// under objection that day (its measures suspended).
UNWIND $subject_ids AS sid
MATCH (l:Liability {subject_id: sid})
USING INDEX l:Liability(subject_id)
WHERE l.valid_from <= $today AND (l.valid_to IS NULL OR $today < l.valid_to)
RETURN sid AS subject_id, l.liability_id AS liability_id, l.measures AS measures,
       EXISTS {
         MATCH (o:Objection)-[:OBJECTS_TO]->(:Record {record_id: l.record_id})
         WHERE o.notice_on <= $today AND (o.resolved_on IS NULL OR $today < o.resolved_on)
       } AS suspended
