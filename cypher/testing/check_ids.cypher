// Tests of the check journal: how many Check nodes each of $ids has (absent ids: no row).
UNWIND $ids AS id
MATCH (c:Check {check_id: id})
RETURN id AS check_id, count(c) AS copies
