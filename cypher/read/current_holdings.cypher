// The stored properties of the given holdings (by key), so the loader writes only what changed
// (the properties a row can set: loaders/writer.py; not provenance, which is not compared).
UNWIND $keys AS key
MATCH ()-[s:HOLDS_SHARES {key: key}]->()
USING INDEX s:HOLDS_SHARES(key)
RETURN key AS id, s {.ratio, .subscribed_capital, .start_on, .end_on} AS props
