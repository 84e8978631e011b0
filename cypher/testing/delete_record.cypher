// Tests only: remove a record with everything derived from it and its workflow history, so the
// same record can be written again by another path and the graphs compared.
MATCH (r:Record {record_id: $record_id})
OPTIONAL MATCH (r)-[:GIVES_RISE_TO]->(l:Liability)
OPTIONAL MATCH (r)-[:NOTIFIES]->(n:Notification)
OPTIONAL MATCH (r)-[:HAS_EVENT]->(e:Event)
OPTIONAL MATCH (o:Objection)-[:OBJECTS_TO]->(r)
DETACH DELETE l, n, e, o, r
RETURN count(*) AS deleted
