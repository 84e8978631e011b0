// Records decided elsewhere that reach subjects registered in region $code or its sub-regions
// (GET /v1/regions/{code}/links): a REACHES_REGION to a region of the subtree for a reason other
// than the roll-up, from a record whose authority_region lies outside the subtree, in force on
// $as_of. One row per record, keyset-paginated by record_id ($after), at most $limit rows.
MATCH (root:Region {code: $code})
MATCH (g:Region)-[:PART_OF*0..3]->(root)
MATCH (rec:Record)-[x:REACHES_REGION]->(g)
WHERE any(reason IN coalesce(x.reasons, [x.reason]) WHERE reason <> 'rollup')
  AND rec.decided_on <= $as_of AND (rec.valid_until IS NULL OR $as_of <= rec.valid_until)
  AND (rec.ended_on IS NULL OR $as_of < rec.ended_on)
  AND NOT EXISTS { MATCH (:Region {code: rec.authority_region})-[:PART_OF*0..3]->(root) }
  AND ($after IS NULL OR rec.record_id > $after)
WITH rec, collect(DISTINCT {code: g.code, name: g.name, level: g.level,
                            reasons: [r IN coalesce(x.reasons, [x.reason]) WHERE r <> 'rollup']}) AS regions
ORDER BY rec.record_id
LIMIT $limit
OPTIONAL MATCH (rec)-[:CONCERNS]->(s)
RETURN rec {.record_id, .kind, .category, .severity, .authority_id, .authority_region, .document_no,
            .decided_on, .valid_until, .status} AS record,
       {kind: rec.subject_kind, id: rec.subject_id, name: s.name} AS subject,
       regions
