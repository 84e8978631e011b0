// Objections open on $as_of whose verification was due before it, for the deciding departments of
// $region_code and its sub-regions (every region when null).
MATCH (o:Objection)-[:OBJECTS_TO]->(r:Record)
WHERE o.notice_on <= $as_of AND o.due_on < $as_of
  AND (o.resolved_on IS NULL OR $as_of < o.resolved_on)
  AND ($region_code IS NULL OR r.authority_region IN COLLECT {
        MATCH (s:Region)-[:PART_OF*0..]->(:Region {code: $region_code}) RETURN s.code })
RETURN o {.*, record_id: r.record_id} AS objection,
       r.authority_id AS authority_id, r.authority_region AS authority_region
ORDER BY o.due_on, o.objection_id
