// Records decided in region $code or its sub-regions (authority_region) that reach regions
// outside the subtree (GET /v1/regions/{code}/links): REACHES_REGION for a reason other than the
// roll-up, in force on $as_of. One row per record, keyset-paginated by record_id ($after), at
// most $limit rows.
MATCH (root:Region {code: $code})
MATCH (ar:Region)-[:PART_OF*0..3]->(root)
MATCH (rec:Record {authority_region: ar.code})
WHERE rec.decided_on <= $as_of AND (rec.valid_until IS NULL OR $as_of <= rec.valid_until)
  AND (rec.ended_on IS NULL OR $as_of < rec.ended_on)
  AND ($after IS NULL OR rec.record_id > $after)
MATCH (rec)-[x:REACHES_REGION]->(g:Region)
WHERE any(reason IN coalesce(x.reasons, [x.reason]) WHERE reason <> 'rollup')
  AND NOT EXISTS { MATCH (g)-[:PART_OF*0..3]->(root) }
WITH rec, collect(DISTINCT {code: g.code, name: g.name, level: g.level,
                            reasons: [r IN coalesce(x.reasons, [x.reason]) WHERE r <> 'rollup']}) AS regions
ORDER BY rec.record_id
LIMIT $limit
OPTIONAL MATCH (rec)-[:CONCERNS]->(s)
RETURN rec {.record_id, .kind, .category, .severity, .authority_id, .authority_region, .document_no,
            .decided_on, .valid_until, .status} AS record,
       {kind: rec.subject_kind, id: rec.subject_id, name: s.name} AS subject,
       regions
