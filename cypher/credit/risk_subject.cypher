// The subject's own side of GET /v1/subjects/{id}/risk: the records concerning it (each with
// `in_force` on $as_of) and the derived liabilities binding it on $as_of (valid_from <= d < valid_to).
CALL () {
  MATCH (e:Enterprise {uscc: $id}) WHERE $kind = 'enterprise' RETURN e AS n
  UNION
  MATCH (p:Person {person_id: $id}) WHERE $kind = 'person' RETURN p AS n
}
RETURN
  COLLECT {
    MATCH (rec:Record)-[:CONCERNS]->(n)
    OPTIONAL MATCH (rec)-[:DECIDED_BY]->(a:Authority)
    RETURN rec {.*,
      authority: a {.authority_id, .name, .region_code},
      subject: {kind: $kind, id: $id, name: n.name},
      responsible: COLLECT { MATCH (rec)-[:NAMES_RESPONSIBLE]->(rp:Person) RETURN rp {.person_id, .name} ORDER BY rp.person_id },
      in_force: rec.decided_on <= $as_of AND (rec.valid_until IS NULL OR $as_of <= rec.valid_until)
                AND (rec.ended_on IS NULL OR $as_of < rec.ended_on)}
    ORDER BY rec.decided_on DESC, rec.record_id
  } AS records,
  COLLECT {
    MATCH (l:Liability)-[:BINDS]->(n)
    WHERE l.valid_from <= $as_of AND (l.valid_to IS NULL OR $as_of < l.valid_to)
    RETURN l {.*}
    ORDER BY l.record_id, l.liability_id
  } AS liabilities
