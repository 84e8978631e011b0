// The stored properties of the given roles (by key), so the loader writes only what changed.
UNWIND $keys AS key
MATCH ()-[r:HOLDS_ROLE {key: key}]->()
RETURN key AS id, properties(r) AS props
