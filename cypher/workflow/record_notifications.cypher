// A record's notifications, one per reached region, mandatory measures first (propagation).
MATCH (:Record {record_id: $record_id})-[:NOTIFIES]->(n:Notification)
RETURN n {.*} AS notification
ORDER BY n.region_code
