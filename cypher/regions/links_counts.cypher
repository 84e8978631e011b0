// Counts of GET /v1/regions/{code}/links on $as_of: per region reached inside the subtree of
// $code, the records decided elsewhere reaching it (incoming); per region reached outside, the
// records of the subtree reaching it (outgoing). Reasons other than the roll-up only.
MATCH (root:Region {code: $code})
CALL (root) {
  MATCH (g:Region)-[:PART_OF*0..3]->(root)
  MATCH (rec:Record)-[x:REACHES_REGION]->(g)
  WHERE any(reason IN coalesce(x.reasons, [x.reason]) WHERE reason <> 'rollup')
    AND rec.decided_on <= $as_of AND (rec.valid_until IS NULL OR $as_of <= rec.valid_until)
    AND (rec.ended_on IS NULL OR $as_of < rec.ended_on)
    AND NOT EXISTS { MATCH (:Region {code: rec.authority_region})-[:PART_OF*0..3]->(root) }
  RETURN 'incoming' AS direction, g, count(DISTINCT rec) AS records,
         count(DISTINCT CASE WHEN rec.kind = 'black' THEN rec END) AS black
  UNION
  MATCH (ar:Region)-[:PART_OF*0..3]->(root)
  MATCH (rec:Record {authority_region: ar.code})
  WHERE rec.decided_on <= $as_of AND (rec.valid_until IS NULL OR $as_of <= rec.valid_until)
    AND (rec.ended_on IS NULL OR $as_of < rec.ended_on)
  MATCH (rec)-[x:REACHES_REGION]->(g:Region)
  WHERE any(reason IN coalesce(x.reasons, [x.reason]) WHERE reason <> 'rollup')
    AND NOT EXISTS { MATCH (g)-[:PART_OF*0..3]->(root) }
  RETURN 'outgoing' AS direction, g, count(DISTINCT rec) AS records,
         count(DISTINCT CASE WHEN rec.kind = 'black' THEN rec END) AS black
}
RETURN direction, g.code AS code, g.name AS name, g.level AS level, records, black,
       COLLECT { MATCH (g)-[:PART_OF*1..3]->(a:Region) RETURN a.code } AS ancestors
ORDER BY direction, code
