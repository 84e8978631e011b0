// Search keys and name history of enterprises, computed in Python (graph_service.facts.search_keys):
// {id, search}; a null in `search` removes that property.
UNWIND $rows AS row
MATCH (e:Enterprise {uscc: row.id})
SET e += row.search
RETURN count(*) AS written
