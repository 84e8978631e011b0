// Records whose last day in force was the day before $day and that nothing ended earlier
// (revoked, repaired): on $day they leave the lists and their measures stop (the sweep logs
// record.expired, or red_listing.ended for a red record). Dates as ISO text.
MATCH (r:Record)
WHERE r.valid_until = $day - duration('P1D')
  AND NOT (r.status IN ['revoked', 'repaired'] AND r.ended_on IS NOT NULL AND r.ended_on <= r.valid_until)
RETURN r.record_id AS record_id, r.kind AS kind, r.subject_kind AS subject_kind, r.subject_id AS subject_id,
       coalesce(r.responsible_person_ids, []) AS responsible, r.authority_region AS authority_region,
       toString(r.valid_until) AS valid_until
