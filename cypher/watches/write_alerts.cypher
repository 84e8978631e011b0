// The alerts of a processed batch ($alerts: {alert_id, watch_id, set, subject_id, path, links,
// change_seqs, decisions, changes (JSON text), webhook}), each once: a batch processed again after
// a crash writes nothing new. An alert of a watch with a webhook waits for its delivery.
UNWIND $alerts AS a
MERGE (x:Alert {alert_id: a.alert_id})
ON CREATE SET x.watch_id = a.watch_id, x.set = a.set, x.subject_id = a.subject_id, x.path = a.path,
              x.links = a.links, x.change_seqs = a.change_seqs, x.decisions = a.decisions,
              x.changes = a.changes, x.created_at = datetime(), x.attempts = 0,
              x.delivery = CASE WHEN a.webhook THEN 'pending' ELSE 'none' END
RETURN count(*) AS written
