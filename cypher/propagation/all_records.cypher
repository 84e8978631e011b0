// Every record id, by kind, for a full recompute in batches.
MATCH (r:Record)
RETURN r.record_id AS record_id, r.kind AS kind
ORDER BY record_id
