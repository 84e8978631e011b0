// The entries of the facts $keys (record ids, objection ids) after sequence number $after, newest
// first (known_at undoes them).
MATCH (c:Change)
WHERE c.key IN $keys AND c.seq > $after
RETURN c {.seq, .kind, .key, .before, .after} AS entry
ORDER BY c.seq DESC
