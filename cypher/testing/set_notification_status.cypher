// Tests only: the workflow answering a notification.
MATCH (n:Notification {notification_id: $notification_id})
SET n.status = $status
RETURN n.notification_id AS notification_id
