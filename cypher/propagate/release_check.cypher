// What a release of $person_id from $record_id must know: whether both exist, the liabilities of
// releasable rules ($rule_ids) from the record that bind the person, whether the person is named
// responsible in the record, and whether he is the actual controller of its subject on $on (the
// SPC opinion lets a person be released only on proof that he is neither).
OPTIONAL MATCH (r:Record {record_id: $record_id})
OPTIONAL MATCH (p:Person {person_id: $person_id})
RETURN r IS NOT NULL AS record_exists, p IS NOT NULL AS person_exists,
       COLLECT {
         MATCH (r)-[:GIVES_RISE_TO]->(l:Liability)-[:BINDS]->(p)
         WHERE l.rule_id IN $rule_ids
         RETURN l.liability_id
       } AS liabilities,
       EXISTS { (r)-[:NAMES_RESPONSIBLE]->(p) } AS named,
       EXISTS {
         MATCH (r)-[:CONCERNS]->(:Enterprise)<-[h:HOLDS_ROLE]-(p)
         WHERE h.role = 'actual_controller'
           AND (h.start_on IS NULL OR h.start_on <= $on) AND (h.end_on IS NULL OR $on < h.end_on)
       } AS controller
