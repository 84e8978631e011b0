// The liabilities of the given records, for the change log's liability entries and the decisions
// they change (graph_service.propagation.consequences): read before propagation clears them and
// after it derived them again. suspended: the record is under objection on $today.
UNWIND $record_ids AS rid
MATCH (l:Liability {record_id: rid})
USING INDEX l:Liability(record_id)
RETURN l {.*} AS liability,
       EXISTS {
         MATCH (o:Objection)-[:OBJECTS_TO]->(:Record {record_id: rid})
         WHERE o.notice_on <= $today AND (o.resolved_on IS NULL OR $today < o.resolved_on)
       } AS suspended
