// The persons holding a control-related role ($roles) in one enterprise on $as_of.
MATCH (p:Person)-[r:HOLDS_ROLE]->(e:Enterprise {uscc: $uscc})
WHERE r.role IN $roles
  AND (r.start_on IS NULL OR r.start_on <= $as_of) AND (r.end_on IS NULL OR $as_of < r.end_on)
RETURN p.person_id AS person_id, p.name AS name, r.role AS role, r.title AS title,
       r.start_on AS start_on, r.end_on AS end_on
ORDER BY r.role, r.start_on, p.person_id
