// A batch of the search-key backfill (graph_service.facts.search_keys): persons after $after in
// person_id order that lack their keys ($everything: all of them).
MATCH (p:Person)
USING INDEX p:Person(person_id)
WHERE p.person_id > $after AND ($everything OR p.search_keys IS NULL)
WITH p ORDER BY p.person_id LIMIT $limit
RETURN p.person_id AS id, p.name AS name
