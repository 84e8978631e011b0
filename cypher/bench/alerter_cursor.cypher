// How far the alerter has read the change log (bench/changes.py waits for it to catch up).
OPTIONAL MATCH (c:AlerterCursor {name: 'alerts'})
RETURN coalesce(c.last_seq, 0) AS n
