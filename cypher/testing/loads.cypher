// The Load nodes (tests): id, mode, status and reporting department.
MATCH (l:Load)
RETURN l.load_id AS id, l.mode AS mode, l.status AS status, l.department AS department
ORDER BY id
