// The stored properties of the given enterprises, so the loader writes only what changed
// (the properties a row can set: loaders/writer.py; not provenance, which is not compared).
UNWIND $ids AS id
MATCH (n:Enterprise {uscc: id})
USING INDEX n:Enterprise(uscc)
RETURN id, n {.name, .kind, .region_code, .status, .established_on, .registered_capital, .industry, .address} AS props
