// A stored check (GET /v1/checks/{check_id}) with the region codes of the subject it answered
// about, and their ancestors (a department reads the checks of its region's subjects).
MATCH (k:Check {check_id: $check_id})
OPTIONAL MATCH (e:Enterprise {uscc: k.subject_id})
OPTIONAL MATCH (p:Person {person_id: k.subject_id})
WITH k, coalesce(e, p) AS s
RETURN k {.check_id, .key_id, .role, .at, .subject_id, .action, .as_of, .answer, .seq, .known_at,
          .batch_id} AS check,
       COLLECT { MATCH (s)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(a:Region) RETURN DISTINCT a.code } AS regions
