// The notifications of these records created in this transaction (the reach of a recompute
// creates one per newly reached region; datetime.transaction() is the time this transaction began).
UNWIND $record_ids AS rid
MATCH (:Record {record_id: rid})-[:NOTIFIES]->(n:Notification)
WHERE n.created_at >= datetime.transaction()
RETURN collect(n.notification_id) AS ids
