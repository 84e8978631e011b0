// Keeps a judgement (POST /v1/resolutions): never deleted; an undo marks it (identity/resolution_undo).
CREATE (r:Resolution)
SET r = $resolution, r.at = datetime($resolution.at), r.status = 'active'
RETURN r {.*} AS resolution
