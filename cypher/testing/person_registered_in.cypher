// Tests: a person linked to the region of its code as written, as the loader did before
// successors were kept.
MATCH (r:Region {code: $person.region_code})
MERGE (p:Person {person_id: $person.person_id})
SET p.name = $person.name, p.region_code = $person.region_code
MERGE (p)-[:REGISTERED_IN]->(r)
