// When the entry $seq was recorded (known_at finds the last entry recorded by a time by bisection:
// recorded times increase with the numbers).
MATCH (c:Change {seq: $seq})
RETURN c.at AS at
