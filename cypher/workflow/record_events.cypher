// The history of a record, oldest first.
MATCH (:Record {record_id: $record_id})-[:HAS_EVENT]->(e:Event)
RETURN e {.*} AS event
ORDER BY e.seq
