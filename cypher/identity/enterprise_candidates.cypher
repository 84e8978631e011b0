// Enterprises registered in $region or its sub-regions that share a name and an address with
// another one there under a different USCC (GET /v1/analytics/duplicates, docs/search.md
// "Identity"), not merged into another. Name and address are compared trimmed, without spaces,
// with full-width brackets as ASCII ones. At most $max_groups groups; each member with what the
// score looks at: its dates and region, its legal representatives and the persons in its roles or
// holding its shares; one row per member.
MATCH (root:Region {code: $region})
MATCH (e:Enterprise)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(root)
WHERE e.merged_into IS NULL AND e.address IS NOT NULL
WITH DISTINCT e
WITH replace(replace(replace(replace(trim(e.name), ' ', ''), '　', ''), '（', '('), '）', ')') AS name_key,
     replace(replace(replace(replace(trim(e.address), ' ', ''), '　', ''), '（', '('), '）', ')') AS address_key, e
WITH name_key, address_key, collect(e) AS members
WHERE size(members) > 1
ORDER BY name_key, address_key
LIMIT $max_groups
UNWIND members AS m
RETURN name_key, address_key, m.uscc AS id, m.name AS name, m.address AS address, m.region_code AS region_code,
  m.established_on AS established_on, m.status AS status,
  COLLECT {
    MATCH (p:Person)-[:HOLDS_ROLE {role: 'legal_representative'}]->(m) RETURN DISTINCT p.person_id
  } AS legal_representatives,
  COLLECT { MATCH (p:Person)-[:HOLDS_ROLE|HOLDS_SHARES]->(m) RETURN DISTINCT p.person_id } AS persons
ORDER BY name_key, address_key, id
