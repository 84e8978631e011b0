// A subject as it is now, for known_at: its kind, the subject it is merged into, every liability
// binding it (any day) with their fields, and for green-channel eligibility its establishment day
// and the ids of the records about it.
OPTIONAL MATCH (e:Enterprise {uscc: $id})
OPTIONAL MATCH (p:Person {person_id: $id})
WITH coalesce(e, p) AS s
RETURN s IS NOT NULL AS found, s:Person AS is_person, s.merged_into AS merged_into, s.established_on AS established_on,
       COLLECT { MATCH (l:Liability {subject_id: $id}) RETURN l {.*} } AS liabilities,
       COLLECT { MATCH (r:Record)-[:CONCERNS]->(s) RETURN r.record_id } AS own_records
