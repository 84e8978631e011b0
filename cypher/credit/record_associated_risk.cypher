// Associated risk of a record on $as_of (information for investigators, never a measure):
// person_links: enterprises where a person bound that day by a liability of this (black) record
//   carrying $liable_measure holds one of $key_roles or at least $min_ratio of the shares that day;
// shareholding_links: when the record is a black record in force that day, the enterprises linked
//   to its subject through holdings in force that day (either direction, through enterprises
//   only, up to $depth <= 4 steps), with the shortest path to each.
MATCH (r:Record {record_id: $record_id})
RETURN
  COLLECT {
    MATCH (r)-[:GIVES_RISE_TO]->(l:Liability)-[:BINDS]->(p:Person)
    WHERE r.kind = 'black' AND $liable_measure IN l.measures
      AND l.valid_from <= $as_of AND (l.valid_to IS NULL OR $as_of < l.valid_to)
    MATCH (p)-[h:HOLDS_ROLE|HOLDS_SHARES]->(x:Enterprise)
    WHERE (h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on)
      AND (CASE type(h) WHEN 'HOLDS_ROLE' THEN h.role IN $key_roles ELSE h.ratio >= $min_ratio END)
    RETURN DISTINCT {uscc: x.uscc, name: x.name, person_id: p.person_id,
                     role: CASE type(h) WHEN 'HOLDS_ROLE' THEN h.role ELSE 'shareholder' END,
                     ratio: h.ratio, reason: 'liable_person_key_position'} AS link
    ORDER BY link.uscc, link.person_id, link.role
  } AS person_links,
  COLLECT {
    MATCH (r)-[:CONCERNS]->(e:Enterprise)
    WHERE r.kind = 'black' AND r.decided_on <= $as_of AND (r.valid_until IS NULL OR $as_of <= r.valid_until)
      AND NOT (r.status IN ['revoked', 'repaired'] AND r.ended_on IS NOT NULL AND r.ended_on <= $as_of)
    MATCH path = (e)-[:HOLDS_SHARES*1..4]-(x:Enterprise)
    WHERE x <> e AND length(path) <= $depth
      AND all(n IN nodes(path) WHERE n:Enterprise)
      AND all(h IN relationships(path) WHERE (h.start_on IS NULL OR h.start_on <= $as_of)
                                           AND (h.end_on IS NULL OR $as_of < h.end_on))
    WITH x, path ORDER BY length(path)
    WITH x, collect(path)[0] AS shortest
    RETURN {uscc: x.uscc, name: x.name, depth: length(shortest),
            path: [n IN nodes(shortest) | n.uscc], reason: 'shareholding_link_to_blacklisted'} AS link
    ORDER BY link.depth, link.uscc
    LIMIT 100
  } AS shareholding_links
