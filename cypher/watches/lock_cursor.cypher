// Takes the alerter's lock for the transaction (one alerter at a time, whatever the number of
// processes) and reads how far it got: the right-hand side reads the property it sets, so Cypher
// locks the node first.
MERGE (c:AlerterCursor {name: 'alerts'})
ON CREATE SET c.last_seq = 0
SET c.last_seq = c.last_seq
RETURN c.last_seq AS last_seq
