// The Load nodes (tests): id, mode and status.
MATCH (l:Load)
RETURN l.load_id AS id, l.mode AS mode, l.status AS status
ORDER BY id
