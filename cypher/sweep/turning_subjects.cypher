// The subjects bound by a liability that starts or stops being in force on $day (its window is
// half-open: valid_to is the first day out), whose decisions may change with no write.
MATCH (l:Liability)
WHERE l.valid_from = $day OR l.valid_to = $day
RETURN DISTINCT l.subject_id AS subject_id, l.subject_kind AS subject_kind
