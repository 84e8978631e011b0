// The change-log entries after $after for the alerter: at most $limit, then the rest of the last
// change set read (its numbers run to set_end), so that an alert sees its whole set.
MATCH (c:Change)
WHERE c.seq > $after
WITH c ORDER BY c.seq LIMIT $limit
WITH collect(c) AS first
WITH first, CASE WHEN size(first) = 0 THEN null ELSE first[-1] END AS last
WITH first + COLLECT {
  MATCH (c:Change)
  WHERE last IS NOT NULL AND c.seq > last.seq AND c.seq <= last.set_end
  RETURN c ORDER BY c.seq
} AS all
UNWIND all AS c
RETURN c {.seq, .set, .kind, .key, .subjects, .regions, .actor, .department, .before, .after,
          at: toString(c.at)} AS entry
ORDER BY entry.seq
