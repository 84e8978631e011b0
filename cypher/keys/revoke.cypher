MATCH (k:ApiKey {key_id: $key_id})
SET k.revoked = true, k.revoked_at = coalesce(k.revoked_at, datetime())
RETURN k.key_id AS key_id
