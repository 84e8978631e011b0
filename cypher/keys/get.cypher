MATCH (k:ApiKey {key_id: $key_id})
RETURN k.key_id AS key_id, k.hash AS hash, k.role AS role, k.region_code AS region_code, k.revoked AS revoked
