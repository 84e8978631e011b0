// Writes the state folded from the events onto the record. $corrections holds only fields of the
// fixed list events.CORRECTABLE.
MATCH (r:Record {record_id: $record_id})
SET r.event_seq = $seq,
    r.status = $status,
    r.ended_on = $ended_on,
    r.suspended_on = $suspended_on,
    r.objection_due_on = $objection_due_on
SET r += $corrections
RETURN r.record_id AS record_id
