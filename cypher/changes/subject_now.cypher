// A subject as it is now, for known_at: its kind, the subject it is merged into, and every
// liability binding it (any day), with their fields.
OPTIONAL MATCH (e:Enterprise {uscc: $id})
OPTIONAL MATCH (p:Person {person_id: $id})
WITH coalesce(e, p) AS s
RETURN s IS NOT NULL AS found, s:Person AS is_person, s.merged_into AS merged_into,
       COLLECT { MATCH (l:Liability {subject_id: $id}) RETURN l {.*} } AS liabilities
