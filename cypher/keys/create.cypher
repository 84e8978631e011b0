// A new API key; only the salted hash of its secret is stored.
CREATE (k:ApiKey {key_id: $key_id, hash: $hash, role: $role, region_code: $region_code,
                  label: $label, created_at: datetime(), revoked: false})
RETURN k.key_id AS key_id
