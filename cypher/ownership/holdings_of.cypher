// One breadth-first step down the holding graph: the enterprises each enterprise in $usccs holds
// shares in, by the holdings held on $as_of (half-open [start_on, end_on)).
UNWIND $usccs AS id
MATCH (e:Enterprise {uscc: id})-[h:HOLDS_SHARES]->(t:Enterprise)
WHERE (h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on)
RETURN id AS holder, t.uscc AS held, t.name AS held_name, h.ratio AS ratio
ORDER BY holder, h.ratio DESC, held
