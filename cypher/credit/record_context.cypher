// What GET /v1/records/{id} and POST /v1/records/{id}/releases need beside the record's reach: the
// subject's name, the persons named responsible with their names, the releases (RELEASED_FROM)
// with their reasons, and the region codes the record belongs to, each with its ancestors, for the
// region scope of API keys: the deciding authority's, the subject's, and those it reaches.
MATCH (r:Record {record_id: $record_id})
OPTIONAL MATCH (r)-[:CONCERNS]->(s)
RETURN r.record_id AS record_id, s.name AS subject_name,
  COLLECT {
    MATCH (r)-[:NAMES_RESPONSIBLE]->(p:Person)
    RETURN {person_id: p.person_id, name: p.name}
    ORDER BY p.person_id
  } AS responsible,
  COLLECT {
    MATCH (p:Person)-[x:RELEASED_FROM]->(r)
    RETURN {person_id: p.person_id, name: p.name, on: x.on, reason: x.reason, by: x.by, at: x.at}
    ORDER BY p.person_id
  } AS releases,
  COLLECT { MATCH (:Region {code: r.authority_region})-[:PART_OF*0..]->(a:Region) RETURN a.code } AS authority_codes,
  COLLECT { MATCH (r)-[:CONCERNS]->()-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..]->(a:Region)
            RETURN DISTINCT a.code } AS subject_codes,
  COLLECT { MATCH (r)-[:REACHES_REGION]->(:Region)-[:PART_OF*0..]->(a:Region) RETURN DISTINCT a.code } AS reached_codes
