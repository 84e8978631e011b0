// Statistics of the loop (safeguards: 跟踪、监测、统计、评估) for [$from, $to].
// Records, persons reached, objections and repairs: records decided by the authorities of
// $region_code and below (every region when null) or by $authority_id. Notifications: those
// addressed to $region_code and below (and of $authority_id's records when given), sent in the
// period. Checks (issue 4): made in the period by keys of $region_code and below, or whose basis
// holds a record of $authority_id. Each count uses its own date: decision, sending, notice,
// repair request, check.
WITH CASE WHEN $region_code IS NULL THEN null ELSE COLLECT {
       MATCH (g:Region)-[:PART_OF*0..]->(:Region {code: $region_code}) RETURN g.code } END AS codes
CALL (codes) {
  MATCH (r:Record)
  WHERE r.decided_on >= $from AND r.decided_on <= $to
    AND (codes IS NULL OR r.authority_region IN codes)
    AND ($authority_id IS NULL OR r.authority_id = $authority_id)
  WITH r.kind AS kind, r.category AS category, count(*) AS n
  ORDER BY kind, category
  RETURN collect({kind: kind, category: category, count: n}) AS records
}
CALL (codes) {
  MATCH (r:Record)-[:GIVES_RISE_TO]->(:Liability)-[:BINDS]->(p:Person)
  WHERE r.decided_on >= $from AND r.decided_on <= $to
    AND (codes IS NULL OR r.authority_region IN codes)
    AND ($authority_id IS NULL OR r.authority_id = $authority_id)
  RETURN count(DISTINCT p) AS persons_reached
}
CALL (codes) {
  MATCH (r:Record)-[:NOTIFIES]->(n:Notification)
  WHERE n.created_at >= $from_instant AND ($to_instant IS NULL OR n.created_at < $to_instant)
    AND (codes IS NULL OR n.region_code IN codes)
    AND ($authority_id IS NULL OR r.authority_id = $authority_id)
  RETURN count(n) AS sent,
         count(n.acknowledged_on) AS acknowledged,
         count(n.answered_on) AS answered,
         sum(CASE WHEN n.applied THEN 1 ELSE 0 END) AS applied,
         sum(CASE WHEN n.restoration_on IS NOT NULL THEN 1 ELSE 0 END) AS restorations
}
CALL (codes) {
  MATCH (o:Objection)-[:OBJECTS_TO]->(r:Record)
  WHERE o.notice_on >= $from AND o.notice_on <= $to
    AND (codes IS NULL OR r.authority_region IN codes)
    AND ($authority_id IS NULL OR r.authority_id = $authority_id)
  RETURN count(o) AS objections,
         sum(CASE WHEN o.status = 'open' THEN 1 ELSE 0 END) AS open,
         sum(CASE WHEN o.status = 'upheld' THEN 1 ELSE 0 END) AS upheld,
         sum(CASE WHEN o.status = 'corrected' THEN 1 ELSE 0 END) AS corrected,
         sum(CASE WHEN o.status = 'revoked' THEN 1 ELSE 0 END) AS revoked,
         sum(CASE WHEN o.status = 'open' AND o.due_on < $as_of THEN 1 ELSE 0 END) AS overdue,
         sum(CASE WHEN o.resolved_on > o.due_on THEN 1 ELSE 0 END) AS resolved_late
}
CALL (codes) {
  MATCH (r:Record)-[:HAS_EVENT]->(e:Event)
  WHERE e.kind IN ['repair_accepted', 'repair_refused']
    AND e.at >= $from_instant AND ($to_instant IS NULL OR e.at < $to_instant)
    AND (codes IS NULL OR r.authority_region IN codes)
    AND ($authority_id IS NULL OR r.authority_id = $authority_id)
  RETURN sum(CASE WHEN e.kind = 'repair_accepted' THEN 1 ELSE 0 END) AS repairs_accepted,
         sum(CASE WHEN e.kind = 'repair_refused' THEN 1 ELSE 0 END) AS repairs_refused
}
CALL (codes) {
  MATCH (c:Check)
  WHERE c.at >= $from_instant AND ($to_instant IS NULL OR c.at < $to_instant)
    AND (codes IS NULL OR EXISTS { MATCH (k:ApiKey {key_id: c.key_id}) WHERE k.region_code IN codes })
    AND ($authority_id IS NULL OR EXISTS {
          MATCH (r:Record) WHERE r.record_id IN c.record_ids AND r.authority_id = $authority_id })
  RETURN count(c) AS checks,
         sum(CASE WHEN c.decision = 'restricted' THEN 1 ELSE 0 END) AS checks_restricted,
         sum(CASE WHEN c.decision = 'favoured' THEN 1 ELSE 0 END) AS checks_favoured,
         sum(CASE WHEN c.decision = 'clear' THEN 1 ELSE 0 END) AS checks_clear
}
RETURN records, persons_reached, sent, acknowledged, answered, applied, restorations,
       objections, open, upheld, corrected, revoked, overdue, resolved_late,
       repairs_accepted, repairs_refused, checks, checks_restricted, checks_favoured, checks_clear
