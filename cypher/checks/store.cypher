// Answered checks (POST /v1/checks and /v1/checks/batch), written by the write-behind check log:
// who ($checks[].key_id, role), when (at), what (subject, action, as_of) and the decision; the answer
// as given (compact JSON) and the change-log number it was answered at (seq; known_at if asked).
// MERGE on check_id: a batch retried after a write whose outcome was unknown is stored once.
// at and as_of may come as ISO strings (cheaper for the driver to send than temporal values) or as
// a datetime and a date: datetime() and date() take either.
UNWIND $checks AS c
MERGE (k:Check {check_id: c.check_id})
ON CREATE SET k.key_id = c.key_id, k.role = c.role, k.at = datetime(c.at), k.subject_id = c.subject_id,
              k.subject_kind = c.subject_kind, k.action = c.action, k.as_of = date(c.as_of), k.decision = c.decision,
              k.record_ids = c.record_ids, k.batch_id = c.batch_id,
              k.answer = c.answer, k.seq = c.seq, k.known_at = c.known_at
RETURN count(*) AS stored
