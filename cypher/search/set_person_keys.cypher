// Search keys of persons, computed in Python (graph_service.facts.search_keys): {id, search}.
UNWIND $rows AS row
MATCH (p:Person {person_id: row.id})
SET p += row.search
RETURN count(*) AS written
