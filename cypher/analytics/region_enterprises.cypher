// The enterprises registered in a region or its sub-regions (PART_OF), on $as_of, each with what
// ties it to others: its address, the persons in roles, its holders (persons or enterprises,
// wherever registered), the enterprises it holds, and whether an in-force black record concerns it.
// At most $limit enterprises, in uscc order; the caller asks for one more to know it was cut.
MATCH (root:Region {code: $region})
MATCH (e:Enterprise)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(root)
WITH DISTINCT e
ORDER BY e.uscc
LIMIT $limit
RETURN e.uscc AS uscc, e.name AS name, e.address AS address,
  EXISTS {
    MATCH (rec:Record {kind: 'black'})-[:CONCERNS]->(e)
    WHERE rec.decided_on <= $as_of AND (rec.valid_until IS NULL OR $as_of <= rec.valid_until)
      AND (rec.ended_on IS NULL OR $as_of < rec.ended_on)
  } AS blacklisted,
  COLLECT {
    MATCH (p:Person)-[r:HOLDS_ROLE]->(e)
    WHERE (r.start_on IS NULL OR r.start_on <= $as_of) AND (r.end_on IS NULL OR $as_of < r.end_on)
    RETURN {id: p.person_id, name: p.name, role: r.role}
  } AS roles,
  COLLECT {
    MATCH (holder)-[h:HOLDS_SHARES]->(e)
    WHERE (holder:Person OR holder:Enterprise)
      AND (h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on)
    RETURN {kind: CASE WHEN holder:Person THEN 'person' ELSE 'enterprise' END,
            id: coalesce(holder.person_id, holder.uscc), name: holder.name, ratio: h.ratio}
  } AS holders,
  COLLECT {
    MATCH (e)-[h:HOLDS_SHARES]->(t:Enterprise)
    WHERE (h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on)
    RETURN {id: t.uscc, name: t.name, ratio: h.ratio}
  } AS holdings
