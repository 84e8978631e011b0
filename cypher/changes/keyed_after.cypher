// The entries of the facts $keys (record ids, objection ids) after sequence number $after, newest
// first (known_at undoes them).
// By key (change_key): a handful of keys, where the entries after an early N may be most of the log.
MATCH (c:Change)
USING INDEX c:Change(key)
WHERE c.key IN $keys AND c.seq > $after
RETURN c {.seq, .kind, .key, .before, .after} AS entry
ORDER BY c.seq DESC
