// The records whose liabilities or reach a change may alter (docs/propagation.md, "Incremental"):
// the records themselves; records concerning the enterprises and persons; records naming the
// persons; records whose liabilities bind them; records concerning enterprises where the persons
// hold roles or shares; records concerning persons who hold roles in the enterprises, or whose
// liable persons hold roles there (reach); records of shareholders of the enterprises (subsidiary
// reach).
CALL () {
  UNWIND $record_ids AS rid
  MATCH (r:Record {record_id: rid})
  USING INDEX r:Record(record_id)
  RETURN r
  UNION
  UNWIND $usccs AS u
  MATCH (_enterprise:Enterprise {uscc: u})<-[:CONCERNS]-(r:Record)
  USING INDEX _enterprise:Enterprise(uscc)
  RETURN r
  UNION
  UNWIND $usccs AS u
  MATCH (_enterprise:Enterprise {uscc: u})<-[:BINDS]-(:Liability)<-[:GIVES_RISE_TO]-(r:Record)
  USING INDEX _enterprise:Enterprise(uscc)
  RETURN r
  UNION
  UNWIND $usccs AS u
  MATCH (_enterprise:Enterprise {uscc: u})<-[:HOLDS_ROLE]-(:Person)<-[:CONCERNS]-(r:Record)
  USING INDEX _enterprise:Enterprise(uscc)
  RETURN r
  UNION
  UNWIND $usccs AS u
  MATCH (_enterprise:Enterprise {uscc: u})<-[:HOLDS_ROLE]-(:Person)<-[:BINDS]-(:Liability)<-[:GIVES_RISE_TO]-(r:Record)
  USING INDEX _enterprise:Enterprise(uscc)
  RETURN r
  UNION
  UNWIND $usccs AS u
  MATCH (_enterprise:Enterprise {uscc: u})<-[:HOLDS_SHARES]-()<-[:CONCERNS]-(r:Record)
  USING INDEX _enterprise:Enterprise(uscc)
  RETURN r
  UNION
  UNWIND $person_ids AS pid
  MATCH (_person:Person {person_id: pid})<-[:CONCERNS|NAMES_RESPONSIBLE]-(r:Record)
  USING INDEX _person:Person(person_id)
  RETURN r
  UNION
  UNWIND $person_ids AS pid
  MATCH (_person:Person {person_id: pid})<-[:BINDS]-(:Liability)<-[:GIVES_RISE_TO]-(r:Record)
  USING INDEX _person:Person(person_id)
  RETURN r
  UNION
  UNWIND $person_ids AS pid
  MATCH (_person:Person {person_id: pid})-[:HOLDS_ROLE|HOLDS_SHARES]->(:Enterprise)<-[:CONCERNS]-(r:Record)
  USING INDEX _person:Person(person_id)
  RETURN r
}
RETURN collect(DISTINCT r.record_id) AS record_ids
