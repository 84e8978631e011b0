// Record that a former holder is released from a record's releasable liabilities from $on
// (SPC 善意文明执行 opinion Art 17(2); domain.md 1.7). One release per person and record: a new
// release replaces the date and reason.
MATCH (r:Record {record_id: $record_id})
MATCH (p:Person {person_id: $person_id})
MERGE (p)-[x:RELEASED_FROM]->(r)
SET x.on = $on, x.reason = $reason, x.by = $by, x.at = datetime()
RETURN r.record_id AS record_id
