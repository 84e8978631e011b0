// The change log after sequence number $after, in order (tests read it whole).
MATCH (c:Change)
WHERE c.seq > $after
RETURN c {.*} AS c
ORDER BY c.seq
