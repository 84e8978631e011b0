// The stored properties of the given persons, so the loader writes only what changed
// (the properties a row can set: loaders/writer.py; not provenance, which is not compared), and
// whether the person has its search keys (graph_service.facts.search_keys).
UNWIND $ids AS id
MATCH (n:Person {person_id: id})
USING INDEX n:Person(person_id)
RETURN id, n {.id_type, .name, .region_code} AS props, n.search_keys IS NOT NULL AS keyed
