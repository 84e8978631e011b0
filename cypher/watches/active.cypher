// Every active watch, for the alerter (graph_service.changes.alerter).
MATCH (w:Watch {status: 'active'})
RETURN w.watch_id AS watch_id, w.subjects AS subjects, w.depth AS depth, w.regions AS regions,
       w.actions AS actions, w.since_seq AS since_seq, w.webhook_url IS NOT NULL AS webhook
