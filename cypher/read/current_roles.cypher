// The stored properties of the given roles (by key), so the loader writes only what changed
// (the properties a row can set: loaders/writer.py; not provenance, which is not compared).
UNWIND $keys AS key
MATCH ()-[r:HOLDS_ROLE {key: key}]->()
USING INDEX r:HOLDS_ROLE(key)
RETURN key AS id, r {.role, .title, .start_on, .end_on} AS props
