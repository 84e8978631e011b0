// Every materialised region reach and notification, for comparison with the oracle.
CALL () {
  MATCH (r:Record)-[x:REACHES_REGION]->(g:Region)
  RETURN collect({record_id: r.record_id, region: g.code, reason: x.reason, reasons: x.reasons}) AS reach
}
CALL () {
  MATCH (r:Record)-[:NOTIFIES]->(n:Notification)-[:IN_REGION]->(g:Region)
  RETURN collect({notification_id: n.notification_id, record_id: r.record_id, region: g.code,
                  status: n.status, measures: n.measures, in_reach: n.in_reach}) AS notifications
}
RETURN reach, notifications
