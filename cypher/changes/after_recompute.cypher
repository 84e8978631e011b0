// After propagation recomputed $record_ids, in one read for the change log
// (graph_service.propagation.consequences): the records' liabilities now; the records under
// objection on $today (their measures suspended); and the liabilities in force on $today binding
// the subjects bound before ($subject_ids) or now, with their measures.
CALL () {
  UNWIND $record_ids AS rid
  MATCH (l:Liability {record_id: rid})
  USING INDEX l:Liability(record_id)
  RETURN collect(l {.*}) AS liabilities
}
WITH liabilities, [x IN liabilities | x.subject_id] + $subject_ids AS ids
RETURN liabilities,
  COLLECT {
    UNWIND $record_ids AS rid
    MATCH (o:Objection)-[:OBJECTS_TO]->(:Record {record_id: rid})
    WHERE o.notice_on <= $today AND (o.resolved_on IS NULL OR $today < o.resolved_on)
    RETURN DISTINCT rid
  } AS suspended_records,
  COLLECT {
    UNWIND ids AS sid
    WITH DISTINCT sid
    MATCH (l:Liability {subject_id: sid})
    WHERE l.valid_from <= $today AND (l.valid_to IS NULL OR $today < l.valid_to)
    RETURN {subject_id: sid, liability_id: l.liability_id, record_id: l.record_id, measures: l.measures,
            suspended: EXISTS {
              MATCH (o:Objection)-[:OBJECTS_TO]->(:Record {record_id: l.record_id})
              WHERE o.notice_on <= $today AND (o.resolved_on IS NULL OR $today < o.resolved_on)
            }}
  } AS held
