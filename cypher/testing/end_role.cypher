// Tests only: end a role (HOLDS_ROLE by key) on $end_on, as a later bundle would.
MATCH (p:Person)-[h:HOLDS_ROLE {key: $key}]->(e:Enterprise)
SET h.end_on = $end_on
RETURN p.person_id AS person_id, e.uscc AS uscc
