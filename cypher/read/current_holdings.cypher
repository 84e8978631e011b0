// The stored properties of the given holdings (by key), so the loader writes only what changed.
UNWIND $keys AS key
MATCH ()-[s:HOLDS_SHARES {key: key}]->()
RETURN key AS id, properties(s) AS props
