// Tests only: end a record (revoked or repaired on $ended_on) as the workflow would.
MATCH (r:Record {record_id: $record_id})
SET r.status = $status, r.ended_on = $ended_on
RETURN r.record_id AS record_id
