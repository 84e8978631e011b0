MATCH (:Objection {objection_id: $objection_id})-[:OBJECTS_TO]->(r:Record)
RETURN r.record_id AS record_id
