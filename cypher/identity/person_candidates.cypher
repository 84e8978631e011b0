// Persons registered in $region or its sub-regions that share a name and a birth date with another
// one there (GET /v1/analytics/duplicates, docs/search.md "Identity"): citizen ids of 18 digits
// (the birth date is positions 7-14), not merged into another person. The name is compared
// trimmed, without spaces or middle dots. At most $max_groups groups, in (name, birth) order; each
// member with what the score looks at: its id, registered region, the 15-digit form, and the
// enterprises where it holds a role or shares; one row per member.
MATCH (root:Region {code: $region})
MATCH (p:Person)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(root)
WHERE p.merged_into IS NULL AND coalesce(p.id_type, 'resident_id') = 'resident_id' AND size(p.person_id) = 18
WITH DISTINCT p
WITH replace(replace(replace(replace(trim(p.name), ' ', ''), '　', ''), '·', ''), '•', '') AS name_key,
     substring(p.person_id, 6, 8) AS birth, p
WITH name_key, birth, collect(p) AS members
WHERE size(members) > 1
ORDER BY name_key, birth
LIMIT $max_groups
UNWIND members AS m
RETURN name_key, birth, m.person_id AS id, m.name AS name, m.region_code AS region_code, m.id_15 AS id_15,
  COLLECT { MATCH (m)-[:HOLDS_ROLE|HOLDS_SHARES]->(e:Enterprise) RETURN DISTINCT e.uscc } AS enterprises
ORDER BY name_key, birth, id
