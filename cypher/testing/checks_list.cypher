// Stored checks for tests and statistics: those of $key_id (or all when null), oldest first.
MATCH (c:Check)
WHERE $key_id IS NULL OR c.key_id = $key_id
RETURN c {.*} AS check
ORDER BY c.at, c.check_id
LIMIT $limit
