MATCH (r:Record)-[:NOTIFIES]->(n:Notification {notification_id: $notification_id})
RETURN n {.*} AS notification, r.record_id AS record_id, r.authority_region AS authority_region
