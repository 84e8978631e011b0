// What a release of $person_id from $record_id from $on must know: whether both exist, the record's
// window [window_from, window_to), the liabilities of releasable rules ($rule_ids) from the record
// that bind the person, whether the person is named responsible in the record, and the roles
// ($roles: those of the releasable rules) he holds in its subject on some day the release would
// cover, [$on, window_to). The SPC opinion lets a person be released only on proof that he is
// neither actual controller nor directly responsible, and a current holder is not released at all.
OPTIONAL MATCH (r:Record {record_id: $record_id})
OPTIONAL MATCH (p:Person {person_id: $person_id})
WITH r, p, r.decided_on AS rf,
     CASE WHEN r.status IN ['revoked', 'repaired'] AND r.ended_on IS NOT NULL
               AND (r.valid_until IS NULL OR r.ended_on <= r.valid_until)
          THEN r.ended_on ELSE r.valid_until + duration('P1D') END AS rt
RETURN r IS NOT NULL AS record_exists, p IS NOT NULL AS person_exists,
       rf AS window_from, rt AS window_to,
       COLLECT {
         MATCH (r)-[:GIVES_RISE_TO]->(l:Liability)-[:BINDS]->(p)
         WHERE l.rule_id IN $rule_ids
         RETURN l.liability_id
       } AS liabilities,
       EXISTS { (r)-[:NAMES_RESPONSIBLE]->(p) } AS named,
       COLLECT {
         MATCH (r)-[:CONCERNS]->(:Enterprise)<-[h:HOLDS_ROLE]-(p)
         WHERE h.role IN $roles
           AND (h.end_on IS NULL OR $on < h.end_on) AND (rt IS NULL OR h.start_on IS NULL OR h.start_on < rt)
         RETURN {role: h.role, start_on: h.start_on, end_on: h.end_on}
         ORDER BY CASE h.role WHEN 'actual_controller' THEN 0 ELSE 1 END, h.start_on
       } AS held
