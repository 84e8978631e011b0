// Creates a watch (POST /v1/watches; docs/changes.md, Watches). $watch: its properties; it alerts
// on change sets after the last entry of the log when it is created (`since_seq`). It takes the
// alerter's lock first: an alerter step that saw no watch and skipped the log to its end has
// committed before, so every entry after since_seq is still to be read.
MERGE (lock:AlerterCursor {name: 'alerts'})
ON CREATE SET lock.last_seq = 0
SET lock.last_seq = lock.last_seq
WITH lock
OPTIONAL MATCH (c:ChangeCounter {name: 'changes'})
CREATE (w:Watch)
SET w = $watch, w.since_seq = coalesce(c.next, 1) - 1, w.status = 'active', w.webhook_failures = 0
RETURN w {.*, created_at: toString(w.created_at)} AS watch
