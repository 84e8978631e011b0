// Tests only: everything propagation derives, for comparing two runs.
CALL () {
  MATCH (r:Record)-[:GIVES_RISE_TO]->(l:Liability)-[:BINDS]->(s)
  RETURN collect([r.record_id, properties(l), coalesce(s.uscc, s.person_id)]) AS liabilities
}
CALL () {
  MATCH (r:Record)-[x:REACHES_REGION]->(g:Region)
  RETURN collect([r.record_id, g.code, properties(x)]) AS reach
}
CALL () {
  MATCH (r:Record)-[:NOTIFIES]->(n:Notification)-[:IN_REGION]->(g:Region)
  RETURN collect([r.record_id, g.code, n.notification_id, n.status, n.measures, n.in_reach]) AS notifications
}
RETURN liabilities, reach, notifications
