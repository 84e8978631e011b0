// The alerter processed the entries up to $last_seq (its alerts were written in this transaction).
MATCH (c:AlerterCursor {name: 'alerts'})
SET c.last_seq = $last_seq, c.at = datetime()
