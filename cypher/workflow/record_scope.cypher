// The regions a record belongs to, each with its ancestors (for the region scope of API keys):
// the deciding authority's, the subject's, and those it reaches.
MATCH (r:Record {record_id: $record_id})
RETURN r.record_id AS record_id,
  COLLECT { MATCH (:Region {code: r.authority_region})-[:PART_OF*0..]->(a:Region) RETURN a.code } AS authority_codes,
  COLLECT { MATCH (r)-[:CONCERNS]->()-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..]->(a:Region)
            RETURN DISTINCT a.code } AS subject_codes,
  COLLECT { MATCH (r)-[:REACHES_REGION]->(:Region)-[:PART_OF*0..]->(a:Region) RETURN DISTINCT a.code } AS reached_codes
