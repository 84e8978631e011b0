// One record and what it reaches (GET /v1/records/{id}): every liability it gives rise to (all
// windows), the regions it reaches with the reasons, and its notifications.
MATCH (r:Record {record_id: $record_id})
OPTIONAL MATCH (r)-[:DECIDED_BY]->(a:Authority)
RETURN r {.*, authority: a {.authority_id, .name, .region_code}} AS record,
  COLLECT {
    MATCH (r)-[:GIVES_RISE_TO]->(l:Liability)-[:BINDS]->(s)
    RETURN l {.*, bound_name: s.name}
    ORDER BY l.subject_kind, l.subject_id, l.rule_id, l.liability_id
  } AS liabilities,
  COLLECT {
    MATCH (r)-[x:REACHES_REGION]->(g:Region)
    RETURN {code: g.code, name: g.name, level: g.level, reason: x.reason, reasons: x.reasons}
    ORDER BY g.code
  } AS regions,
  COLLECT {
    MATCH (r)-[:NOTIFIES]->(n:Notification)
    RETURN n {.notification_id, .region_code, .status, .measures, .in_reach, .created_at}
    ORDER BY n.region_code
  } AS notifications
