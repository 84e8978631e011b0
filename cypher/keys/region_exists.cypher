OPTIONAL MATCH (r:Region {code: $code})
RETURN r IS NOT NULL AS exists, r.name AS name
