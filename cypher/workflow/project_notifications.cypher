// Writes the acknowledgement, feedback and restoration state folded from a record's events onto
// its notifications.
MATCH (r:Record {record_id: $record_id})-[:NOTIFIES]->(n:Notification)
WITH n, [p IN $notifications WHERE p.notification_id = n.notification_id] AS match
WHERE size(match) = 1
SET n += match[0]
RETURN count(n) AS notifications
