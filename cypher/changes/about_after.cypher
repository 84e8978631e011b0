// The entries about the enterprise or person $id after sequence number $after of one of $kinds,
// newest first (known_at undoes them from the present back to the moment asked).
OPTIONAL MATCH (e:Enterprise {uscc: $id})
OPTIONAL MATCH (p:Person {person_id: $id})
WITH coalesce(e, p) AS s
MATCH (c:Change)-[:ABOUT]->(s)
WHERE c.seq > $after AND c.kind IN $kinds
RETURN c {.seq, .kind, .key, .before, .after} AS entry
ORDER BY c.seq DESC
