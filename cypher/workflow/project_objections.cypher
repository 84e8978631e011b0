// Writes the objections folded from a record's events as Objection nodes.
MATCH (r:Record {record_id: $record_id})
UNWIND $objections AS props
MERGE (o:Objection {objection_id: props.objection_id})
SET o += props
MERGE (o)-[:OBJECTS_TO]->(r)
RETURN count(o) AS objections
