// The given person_ids that are persons in the graph (reference checks of the loader).
UNWIND $ids AS id
MATCH (p:Person {person_id: id})
USING INDEX p:Person(person_id)
RETURN p.person_id AS id
