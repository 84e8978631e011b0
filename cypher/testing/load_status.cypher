// A load's status and counts.
MATCH (l:Load {load_id: $load_id})
RETURN l.status AS status, l.counts AS counts, l.runs AS runs, l.bundle AS bundle,
       l.department AS department
