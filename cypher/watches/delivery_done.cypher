// One delivery attempt of an alert, kept in the delivery log: $outcome 'delivered', 'retry' (due
// again at $next_attempt_at) or 'failed' (gave up). A failed alert counts against its watch's
// webhook, which is disabled at $max_failures in a row; a delivered one resets the count.
MATCH (a:Alert {alert_id: $alert_id})
SET a.attempts = a.attempts + 1, a.claimed_until = null, a.next_attempt_at = $next_attempt_at,
    a.delivery = CASE $outcome WHEN 'retry' THEN 'pending' ELSE $outcome END
CREATE (d:Delivery {alert_id: a.alert_id, watch_id: a.watch_id, attempt: a.attempts, at: datetime(),
                    outcome: $outcome, status_code: $status_code, error: $error, ms: $ms})
WITH a
MATCH (w:Watch {watch_id: a.watch_id})
WITH w, CASE $outcome WHEN 'delivered' THEN 0 WHEN 'failed' THEN w.webhook_failures + 1
                      ELSE w.webhook_failures END AS failures
SET w.webhook_failures = failures,
    w.webhook_enabled = w.webhook_enabled AND failures < $max_failures
RETURN w.webhook_enabled AS enabled, failures
