// The watches of an API key ($owner; null: every key's, for an admin), newest first.
MATCH (w:Watch)
WHERE ($owner IS NULL OR w.owner = $owner) AND w.status <> 'deleted'
RETURN w {.*, created_at: toString(w.created_at)} AS watch
ORDER BY w.created_at DESC, w.watch_id
LIMIT $limit
