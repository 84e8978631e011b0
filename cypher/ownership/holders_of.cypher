// One breadth-first step up the holding graph: the holders (persons or enterprises) of each
// enterprise in $usccs, by the holdings held on $as_of (half-open [start_on, end_on)).
// Several holdings of one holder in one enterprise on the same day (tranches) come as several rows.
UNWIND $usccs AS id
MATCH (holder)-[h:HOLDS_SHARES]->(e:Enterprise {uscc: id})
WHERE (holder:Person OR holder:Enterprise)
  AND (h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on)
RETURN id AS held,
       CASE WHEN holder:Person THEN 'person' ELSE 'enterprise' END AS holder_kind,
       coalesce(holder.person_id, holder.uscc) AS holder,
       holder.name AS holder_name,
       h.ratio AS ratio
ORDER BY held, h.ratio DESC, holder
