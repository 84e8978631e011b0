// Records decided in [$from, $to] by the authorities of $region_code and below (every region when
// null), or by $authority_id alone: when each was decided and published (7-day publicity, item 4).
WITH CASE WHEN $region_code IS NULL THEN null ELSE COLLECT {
       MATCH (g:Region)-[:PART_OF*0..]->(:Region {code: $region_code}) RETURN g.code } END AS codes
MATCH (r:Record)
WHERE r.decided_on >= $from AND r.decided_on <= $to
  AND (codes IS NULL OR r.authority_region IN codes)
  AND ($authority_id IS NULL OR r.authority_id = $authority_id)
  AND ($kinds IS NULL OR r.kind IN $kinds)
RETURN r.record_id AS record_id, r.kind AS kind, r.authority_id AS authority_id,
       r.authority_region AS authority_region, r.decided_on AS decided_on, r.published_on AS published_on
ORDER BY r.authority_id, r.decided_on, r.record_id
