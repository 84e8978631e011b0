// A published list (policy item 18): records of $kind ('black' or 'red') in force on $as_of and
// not suspended by an objection under verification that day; a red record also leaves the list
// on the day its incentives were lost (a black record of the subject, or its legal
// representative liable for one: propagation's lost_on). Region: the deciding authority's
// ($by = 'authority') or the subject's ($by = 'subject') region is $region_code or below it.
// Newest first; one page ($skip, $limit) and the total.
WITH CASE WHEN $region_code IS NULL THEN null ELSE COLLECT {
       MATCH (g:Region)-[:PART_OF*0..]->(:Region {code: $region_code}) RETURN g.code } END AS codes
MATCH (r:Record {kind: $kind})
WHERE r.decided_on <= $as_of
  AND (r.valid_until IS NULL OR $as_of <= r.valid_until)
  AND (r.ended_on IS NULL OR $as_of < r.ended_on)
  AND ($category IS NULL OR r.category = $category)
  AND (codes IS NULL
       OR ($by = 'authority' AND r.authority_region IN codes)
       OR ($by = 'subject' AND EXISTS {
             MATCH (r)-[:CONCERNS]->()-[:REGISTERED_IN]->(g:Region) WHERE g.code IN codes }))
  AND NOT EXISTS {
        MATCH (o:Objection)-[:OBJECTS_TO]->(r)
        WHERE o.notice_on <= $as_of AND (o.resolved_on IS NULL OR $as_of < o.resolved_on) }
  AND ($kind <> 'red' OR NOT EXISTS {
        MATCH (r)-[:GIVES_RISE_TO]->(l:Liability) WHERE l.lost_on IS NOT NULL AND l.lost_on <= $as_of })
OPTIONAL MATCH (r)-[:CONCERNS]->(s)
OPTIONAL MATCH (r)-[:DECIDED_BY]->(a:Authority)
WITH r, s, a
ORDER BY r.decided_on DESC, r.record_id
WITH collect({
  record_id: r.record_id, kind: r.kind, category: r.category, severity: r.severity,
  subject_kind: r.subject_kind, subject_id: r.subject_id, subject_name: s.name,
  authority_id: r.authority_id, authority_name: a.name, authority_region: r.authority_region,
  document_no: r.document_no, decided_on: r.decided_on, published_on: r.published_on,
  valid_until: r.valid_until, legal_basis: r.legal_basis
}) AS rows
RETURN size(rows) AS total, rows[$skip..$skip + $limit] AS items
