// One judgement by id (GET /v1/resolutions/{id}, and before an undo).
MATCH (r:Resolution {resolution_id: $resolution_id})
RETURN r {.*} AS resolution
