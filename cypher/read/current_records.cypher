// The stored properties of the given credit records, so the loader writes only what changed.
UNWIND $ids AS id
MATCH (n:Record {record_id: id})
RETURN id, properties(n) AS props
