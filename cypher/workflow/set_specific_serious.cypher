MATCH (r:Record {record_id: $record_id})
SET r.specific_serious = $specific_serious
RETURN r.record_id AS record_id
