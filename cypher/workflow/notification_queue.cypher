// One region's notifications, newest first, one page ($skip, $limit) and the total. Overdue: still
// unanswered, sent before $overdue_before, the record in force on $as_of and not suspended by an
// objection, and the region still reached.
MATCH (n:Notification {region_code: $region_code})
WHERE $status IS NULL OR n.status = $status
MATCH (r:Record)-[:NOTIFIES]->(n)
WITH n, r,
     coalesce(n.status, 'pending') IN ['pending', 'acknowledged']
     AND n.created_at < $overdue_before
     AND coalesce(n.in_reach, true)
     AND r.status = 'in_force' AND r.suspended_on IS NULL
     AND r.decided_on <= $as_of AND (r.valid_until IS NULL OR $as_of <= r.valid_until) AS overdue
WHERE NOT $overdue_only OR overdue
WITH n, r, overdue
ORDER BY n.created_at DESC, n.notification_id
WITH collect({notification: n {.*}, record_id: r.record_id, record_kind: r.kind,
              suspended_on: r.suspended_on, overdue: overdue}) AS rows
RETURN size(rows) AS total, rows[$skip..$skip + $limit] AS items
