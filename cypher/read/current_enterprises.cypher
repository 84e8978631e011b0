// The stored properties of the given enterprises, so the loader writes only what changed.
UNWIND $ids AS id
MATCH (n:Enterprise {uscc: id})
RETURN id, properties(n) AS props
