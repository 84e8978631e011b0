// The stored properties of the given credit records, so the loader writes only what changed
// (the properties a row can set: loaders/writer.py; not provenance, which is not compared).
UNWIND $ids AS id
MATCH (n:Record {record_id: id})
USING INDEX n:Record(record_id)
// A record rewritten to a canonical subject (docs/search.md, Identity) compares as reported.
RETURN id, n {.subject_kind, subject_id: coalesce(n.reported_subject_id, n.subject_id), .kind, .category, .severity, .authority_id, .authority_region, .document_no, .misconduct_on, .decided_on, .published_on, .valid_until, .legal_basis, .responsible_person_ids} AS props
