// Tests only: the instant a record's notifications were sent (propagation stamps the wall clock),
// so deadlines counted from it do not depend on the day the tests run.
MATCH (:Record {record_id: $record_id})-[:NOTIFIES]->(n:Notification)
SET n.created_at = $sent_at
RETURN collect(n.notification_id) AS notification_ids
