// Liability and risk flags of the nodes of an answer ($usccs, $person_ids) on $as_of: the records
// concerning each that are in force that day, by kind, and the derived liabilities binding it that
// day (valid_from <= d < valid_to), with the measures they carry. Nodes with neither are left out.
CALL () {
  // Nodes a walk found in this transaction come by element id (no index seek), others by key.
  MATCH (n) WHERE elementId(n) IN $element_ids
  RETURN n
  UNION
  UNWIND $usccs AS id
  MATCH (n:Enterprise {uscc: id})
  RETURN n
  UNION
  UNWIND $person_ids AS id
  MATCH (n:Person {person_id: id})
  RETURN n
}
WITH n,
  COLLECT {
      MATCH (rec:Record)-[:CONCERNS]->(n)
      WHERE rec.decided_on <= $as_of AND (rec.valid_until IS NULL OR $as_of <= rec.valid_until)
        AND (rec.ended_on IS NULL OR $as_of < rec.ended_on)
      RETURN {record_id: rec.record_id, kind: rec.kind}
      ORDER BY rec.record_id
    } AS records,
  COLLECT {
      MATCH (l:Liability)-[:BINDS]->(n)
      WHERE l.valid_from <= $as_of AND (l.valid_to IS NULL OR $as_of < l.valid_to)
      RETURN {liability_id: l.liability_id, record_id: l.record_id, rule_id: l.rule_id, measures: l.measures}
      ORDER BY l.liability_id
    } AS liabilities
// Only the nodes with something that day (most have nothing, and the caller knows that means no
// flag); one row with a map per node: a record per node costs the driver a round of socket reads.
WHERE size(records) > 0 OR size(liabilities) > 0
RETURN collect({kind: CASE WHEN n:Person THEN 'person' ELSE 'enterprise' END, id: coalesce(n.uscc, n.person_id),
                records: records, liabilities: liabilities}) AS rows
