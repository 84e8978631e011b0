MATCH (o:Objection {objection_id: $objection_id})-[:OBJECTS_TO]->(r:Record)
RETURN o {.*, record_id: r.record_id} AS objection
