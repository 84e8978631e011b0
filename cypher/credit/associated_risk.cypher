// Associated risk of a subject on $as_of: information for investigators, never a measure.
// person_links: for a person bound that day by a black-derived liability carrying
//   $liable_measure, the enterprises where he holds one of $key_roles or at least $min_ratio of the
//   shares that day. For an enterprise: the persons holding such a role or holding in it who are so
//   bound.
// shareholding_links: enterprises linked to the subject through holdings in force that day (either
//   direction, through enterprises only, up to $depth <= 4 steps) that have a black record in force
//   that day; the shortest path to each.
OPTIONAL MATCH (e:Enterprise {uscc: $subject_id})
WHERE $subject_kind = 'enterprise'
OPTIONAL MATCH (p:Person {person_id: $subject_id})
WHERE $subject_kind = 'person'
RETURN
  COLLECT {
    MATCH (p)-[h:HOLDS_ROLE|HOLDS_SHARES]->(x:Enterprise)
    WHERE (h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on)
      AND (CASE type(h) WHEN 'HOLDS_ROLE' THEN h.role IN $key_roles ELSE h.ratio >= $min_ratio END)
      AND EXISTS {
        MATCH (p)<-[:BINDS]-(l:Liability)
        WHERE l.record_kind = 'black' AND $liable_measure IN l.measures
          AND l.valid_from <= $as_of AND (l.valid_to IS NULL OR $as_of < l.valid_to)
      }
    RETURN {uscc: x.uscc, name: x.name, role: CASE type(h) WHEN 'HOLDS_ROLE' THEN h.role ELSE 'shareholder' END,
            ratio: h.ratio, reason: 'liable_person_key_position'}
    ORDER BY x.uscc
  } +
  COLLECT {
    MATCH (e)<-[h:HOLDS_ROLE|HOLDS_SHARES]-(x:Person)
    WHERE (h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on)
      AND (CASE type(h) WHEN 'HOLDS_ROLE' THEN h.role IN $key_roles ELSE h.ratio >= $min_ratio END)
    MATCH (x)<-[:BINDS]-(l:Liability)
    WHERE l.record_kind = 'black' AND $liable_measure IN l.measures
      AND l.valid_from <= $as_of AND (l.valid_to IS NULL OR $as_of < l.valid_to)
    RETURN {person_id: x.person_id, name: x.name, role: CASE type(h) WHEN 'HOLDS_ROLE' THEN h.role ELSE 'shareholder' END,
            ratio: h.ratio, record_id: l.record_id, liability_id: l.liability_id, reason: 'liable_person_key_position'}
    ORDER BY x.person_id, l.liability_id
  } AS person_links,
  COLLECT {
    MATCH path = (e)-[:HOLDS_SHARES*1..4]-(x:Enterprise)
    WHERE x <> e AND length(path) <= $depth
      AND all(n IN nodes(path) WHERE n:Enterprise)
      AND all(h IN relationships(path) WHERE (h.start_on IS NULL OR h.start_on <= $as_of)
                                           AND (h.end_on IS NULL OR $as_of < h.end_on))
      AND EXISTS {
        MATCH (x)<-[:CONCERNS]-(b:Record)
        WHERE b.kind = 'black' AND b.decided_on <= $as_of AND (b.valid_until IS NULL OR $as_of <= b.valid_until)
          AND NOT (b.status IN ['revoked', 'repaired'] AND b.ended_on IS NOT NULL AND b.ended_on <= $as_of)
      }
    WITH x, path ORDER BY length(path)
    WITH x, collect(path)[0] AS shortest
    RETURN {uscc: x.uscc, name: x.name, depth: length(shortest),
            path: [n IN nodes(shortest) | n.uscc], reason: 'shareholding_link_to_blacklisted'}
    ORDER BY length(shortest), x.uscc
    LIMIT 100
  } AS shareholding_links
