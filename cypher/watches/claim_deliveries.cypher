// Claims the alerts due for delivery to their watch's webhook (graph_service.changes.webhooks):
// pending, due, not claimed by another deliverer in the last $claim_s seconds, of an active watch
// whose webhook is enabled; at most $limit, oldest first. The deliveries lock first serialises
// deliverers, so an alert is claimed by one.
MERGE (lock:AlerterCursor {name: 'deliveries'})
ON CREATE SET lock.last_seq = 0
SET lock.last_seq = lock.last_seq
WITH datetime() AS now
MATCH (a:Alert {delivery: 'pending'})
WHERE (a.next_attempt_at IS NULL OR a.next_attempt_at <= now) AND (a.claimed_until IS NULL OR a.claimed_until < now)
WITH a, now ORDER BY a.set, a.subject_id LIMIT $limit
MATCH (w:Watch {watch_id: a.watch_id})
WHERE w.status = 'active' AND w.webhook_enabled
SET a.claimed_until = now + duration({seconds: $claim_s})
RETURN a {.alert_id, .watch_id, .set, .subject_id, .path, .links, .change_seqs, .decisions, .changes, .attempts,
          created_at: toString(a.created_at)} AS alert,
       w.webhook_url AS url, w.webhook_secret AS secret
