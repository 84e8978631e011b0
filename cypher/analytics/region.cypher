// The region an analytics answer covers (no row when unknown).
MATCH (r:Region {code: $region})
RETURN r.code AS code, r.name AS name, r.level AS level
