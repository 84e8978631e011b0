// Takes the record's write lock for the rest of the transaction: the right-hand side reads the
// property it sets, so Cypher locks the node before reading. Concurrent actions on one record thus
// run one after the other, each seeing the events committed before it.
MATCH (r:Record {record_id: $record_id})
SET r.event_seq = coalesce(r.event_seq, 0)
RETURN r {.*} AS record
