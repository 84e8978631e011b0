MATCH (r:Record {record_id: $record_id})
RETURN r {.*} AS record
