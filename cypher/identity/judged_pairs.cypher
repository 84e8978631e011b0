// The pairs an admin judged "different" and did not undo: the duplicates list leaves them out.
MATCH (r:Resolution {judgement: 'different', status: 'active'})
RETURN collect(r.pair_key) AS pair_keys
