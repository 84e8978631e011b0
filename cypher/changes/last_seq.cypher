// The last sequence number the change log has given (0: none yet).
OPTIONAL MATCH (c:ChangeCounter {name: 'changes'})
RETURN coalesce(c.next, 1) - 1 AS last
