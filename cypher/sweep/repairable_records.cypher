// Bad records in force that may reach the end of their minimum repair period on $day (decided
// within $since..$day): the sweep computes each one's first day of repair (graph_service.workflow.repair).
MATCH (r:Record)
WHERE r.kind IN $kinds AND r.decided_on >= $since AND r.decided_on < $day
  AND (r.valid_until IS NULL OR $day <= r.valid_until)
  AND NOT r.status IN ['revoked', 'repaired']
RETURN r.record_id AS record_id, r.kind AS kind, r.severity AS severity, r.decided_on AS decided_on,
       coalesce(r.specific_serious, false) AS specific_serious, r.valid_until AS valid_until,
       r.subject_kind AS subject_kind, r.subject_id AS subject_id, r.authority_region AS authority_region
