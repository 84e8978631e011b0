// The red records whose incentives may change after the black records $record_ids were
// recomputed: red records about the subjects of those records or about the subjects their
// liabilities bind (now, or before: $bound_ids), red records about enterprises where those
// persons hold a role that loses the incentives ($liable_roles), and red records among $record_ids.
CALL () {
  UNWIND $record_ids AS rid
  MATCH (l:Liability {record_id: rid})
  USING INDEX l:Liability(record_id)
  WHERE l.record_kind = 'black'
  RETURN l.subject_id AS sid
  UNION
  UNWIND $bound_ids AS sid
  RETURN sid
  UNION
  UNWIND $record_ids AS rid
  MATCH (r:Record {record_id: rid})
  USING INDEX r:Record(record_id)
  RETURN r.subject_id AS sid
}
WITH collect(sid) AS sids
CALL (sids) {
  UNWIND sids AS sid
  MATCH (r:Record {subject_id: sid})
  USING INDEX r:Record(subject_id)
  WHERE r.kind = 'red'
  RETURN r
  UNION
  UNWIND sids AS sid
  MATCH (_person:Person {person_id: sid})-[h:HOLDS_ROLE]->(:Enterprise)<-[:CONCERNS]-(r:Record)
  USING INDEX _person:Person(person_id)
  WHERE h.role IN $liable_roles AND r.kind = 'red'
  RETURN r
  UNION
  UNWIND $record_ids AS rid
  MATCH (r:Record {record_id: rid})
  USING INDEX r:Record(record_id)
  WHERE r.kind = 'red'
  RETURN r
}
RETURN collect(DISTINCT r.record_id) AS record_ids
