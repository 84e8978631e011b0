// Cross-region reach of records (issue 3, item 4). A record that gives rise to liabilities reaches
// the region of its subject, of the enterprises its liabilities bind, of the enterprises where the
// persons it binds hold a role during their liability, and of the enterprises its subject holds
// more than 50 % of during the record's window; each rolled up county -> city -> province.
// The records' earlier REACHES_REGION are replaced: one {reason, reasons} per region. One
// Notification per record and region: created 'pending' once and never reset (the workflow serves
// it); measures are refreshed, mandatory first ($mandatory), and in_reach says whether the region
// is still reached.
CALL () {
  UNWIND $record_ids AS rid
  MATCH (_record:Record {record_id: rid})-[x:REACHES_REGION]->()
  USING INDEX _record:Record(record_id)
  DELETE x
}
CALL () {
  UNWIND $record_ids AS rid
  MATCH (_record:Record {record_id: rid})-[:NOTIFIES]->(n:Notification)
  USING INDEX _record:Record(record_id)
  SET n.in_reach = false
}
UNWIND $record_ids AS rid
MATCH (r:Record {record_id: rid})
USING INDEX r:Record(record_id)
WITH r, COLLECT {
       MATCH (r)-[:GIVES_RISE_TO]->(l:Liability)
       UNWIND l.measures AS m
       WITH DISTINCT m
       RETURN m ORDER BY CASE WHEN m IN $mandatory THEN 0 ELSE 1 END, m
     } AS measures
WHERE size(measures) > 0
WITH r, measures, r.decided_on AS rf,
     CASE WHEN r.status IN ['revoked', 'repaired'] AND r.ended_on IS NOT NULL
               AND (r.valid_until IS NULL OR r.ended_on <= r.valid_until)
          THEN r.ended_on ELSE r.valid_until + duration('P1D') END AS rt
// The nodes whose registration region the record reaches, each once per reason.
CALL (r, rf, rt) {
  MATCH (r)-[:CONCERNS]->(x)
  RETURN x, 'subject' AS reason
  UNION
  MATCH (r)-[:GIVES_RISE_TO]->(:Liability)-[:BINDS]->(x:Enterprise)
  RETURN x, 'bound_enterprise' AS reason
  UNION
  MATCH (r)-[:GIVES_RISE_TO]->(l:Liability)-[:BINDS]->(p:Person)
  WITH p, collect(l) AS ls
  MATCH (p)-[h:HOLDS_ROLE]->(x:Enterprise)
  WHERE any(l IN ls WHERE (h.end_on IS NULL OR l.valid_from < h.end_on)
                          AND (l.valid_to IS NULL OR h.start_on IS NULL OR h.start_on < l.valid_to))
  RETURN x, 'liable_person_role' AS reason
  UNION
  MATCH (r)-[:CONCERNS]->()-[h:HOLDS_SHARES]->(x:Enterprise)
  WHERE h.ratio > 0.5 AND (h.end_on IS NULL OR rf < h.end_on)
    AND (rt IS NULL OR h.start_on IS NULL OR h.start_on < rt)
  RETURN x, 'subsidiary' AS reason
}
WITH r, measures, x, collect(reason) AS why
MATCH (x)-[:REGISTERED_IN]->(g:Region)
WITH r, measures, g, reduce(acc = [], rs IN collect(why) | acc + rs) AS direct
CALL (g, direct) {
  RETURN g AS region, direct AS reasons
  UNION
  MATCH (g)-[:PART_OF*1..3]->(a:Region)
  RETURN a AS region, ['rollup'] AS reasons
}
WITH r, measures, region, reduce(acc = [], rs IN collect(reasons) | acc + rs) AS all_reasons
WITH r, measures, region,
     [x IN ['subject', 'bound_enterprise', 'liable_person_role', 'subsidiary', 'rollup'] WHERE x IN all_reasons] AS reasons
CREATE (r)-[x:REACHES_REGION]->(region)
SET x.reason = reasons[0], x.reasons = reasons
MERGE (n:Notification {notification_id: r.record_id + '|' + region.code})
ON CREATE SET n.status = 'pending', n.created_at = datetime(), n.record_id = r.record_id,
              n.region_code = region.code
SET n.measures = measures, n.in_reach = true
MERGE (r)-[:NOTIFIES]->(n)
MERGE (n)-[:IN_REGION]->(region)
RETURN count(DISTINCT region) AS regions
