// The last sequence number of the change log (0: empty).
MATCH (c:Change)
RETURN coalesce(max(c.seq), 0) AS n
