// Every materialised liability with the ids of the record and the node it binds, for comparison
// with the oracle.
MATCH (r:Record)-[:GIVES_RISE_TO]->(l:Liability)-[:BINDS]->(s)
RETURN properties(l) AS props, r.record_id AS record_id, coalesce(s.uscc, s.person_id) AS bound_id
