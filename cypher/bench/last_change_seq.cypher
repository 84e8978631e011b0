// The last sequence number of the change log (bench/changes.py: the feed's range).
MATCH (c:Change)
RETURN coalesce(max(c.seq), 0) AS n
