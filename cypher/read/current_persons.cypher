// The stored properties of the given persons, so the loader writes only what changed.
UNWIND $ids AS id
MATCH (n:Person {person_id: id})
RETURN id, properties(n) AS props
