// Creates a watch (POST /v1/watches; docs/changes.md, Watches). $watch: its properties; it alerts
// on change sets after the last entry of the log when it is created (`since_seq`).
OPTIONAL MATCH (c:ChangeCounter {name: 'changes'})
CREATE (w:Watch)
SET w = $watch, w.since_seq = coalesce(c.next, 1) - 1, w.status = 'active', w.webhook_failures = 0
RETURN w {.*, created_at: toString(w.created_at)} AS watch
