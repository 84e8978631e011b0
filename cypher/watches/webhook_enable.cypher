// The owner re-enables a webhook disabled after repeated failures: failures count from zero, and
// alerts that gave up are tried again.
MATCH (w:Watch {watch_id: $watch_id})
SET w.webhook_enabled = true, w.webhook_failures = 0
WITH w
CALL (w) {
  MATCH (a:Alert {watch_id: w.watch_id})
  WHERE a.delivery IN ['failed', 'disabled']
  SET a.delivery = 'pending', a.attempts = 0, a.next_attempt_at = null
}
RETURN w {.*, created_at: toString(w.created_at)} AS watch
