// The enterprise an ownership or control answer starts from (null row when unknown).
MATCH (e:Enterprise {uscc: $uscc})
RETURN e.uscc AS id, e.name AS name, e.kind AS enterprise_kind, e.region_code AS region_code,
       e.status AS status
