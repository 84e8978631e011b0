// Appends events to a record's history (never updated or deleted afterwards).
MATCH (r:Record {record_id: $record_id})
UNWIND $events AS props
CREATE (r)-[:HAS_EVENT]->(e:Event)
SET e = props
RETURN count(e) AS appended
