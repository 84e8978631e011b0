// The delivery log of a watch's webhook, newest first.
MATCH (d:Delivery {watch_id: $watch_id})
RETURN d {.alert_id, .attempt, .outcome, .status_code, .error, .ms, at: toString(d.at)} AS delivery
ORDER BY d.at DESC, d.alert_id, d.attempt DESC
LIMIT $limit
