// A page of a watch's alerts in the order of their change sets: after ($after_set, $after_subject),
// at most $limit.
MATCH (a:Alert {watch_id: $watch_id})
WHERE a.set > $after_set OR (a.set = $after_set AND a.subject_id > $after_subject)
RETURN a {.alert_id, .watch_id, .set, .subject_id, .path, .links, .change_seqs, .decisions, .changes,
          .delivery, .attempts, created_at: toString(a.created_at)} AS alert
ORDER BY a.set, a.subject_id
LIMIT $limit
