MATCH (k:ApiKey)
RETURN k.key_id AS key_id, k.role AS role, k.region_code AS region_code, k.label AS label,
       k.created_at AS created_at, k.revoked AS revoked
ORDER BY k.created_at
