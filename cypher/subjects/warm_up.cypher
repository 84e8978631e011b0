// Subjects to warm up on after a start (graph_service/api/warm_up.py): up to $n enterprises and $n
// persons that hold a role, so the reads warmed walk real links, with their names (searched).
// Any will do: the first found.
CALL () {
  MATCH (e:Enterprise)
  WHERE EXISTS { (e)<-[:HOLDS_ROLE]-() }
  RETURN 'enterprise' AS kind, e.uscc AS id, e.name AS name
  LIMIT $n
  UNION ALL
  MATCH (p:Person)
  WHERE EXISTS { (p)-[:HOLDS_ROLE]->() }
  RETURN 'person' AS kind, p.person_id AS id, p.name AS name
  LIMIT $n
}
RETURN kind, id, name
