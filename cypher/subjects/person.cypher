// The stored facts of one person (GET /v1/persons/{person_id}).
// $as_of: a date keeping only the roles and holdings held that day (half-open [start_on, end_on)),
// or null for all of them; $on: the day on which `in_force` of each record is judged.
MATCH (p:Person {person_id: $person_id})
OPTIONAL MATCH (p)-[:REGISTERED_IN]->(r:Region)
RETURN p {.*} AS person,
  COLLECT { MATCH (y:Person)-[:MERGED_INTO*1..]->(p) RETURN y.person_id ORDER BY y.person_id } AS merged_from,
  CASE WHEN r IS NULL THEN null ELSE r {.code, .name, .level, .retired,
    ancestors: COLLECT {
      MATCH path = (r)-[:PART_OF*1..4]->(a:Region)
      RETURN a {.code, .name, .level, .retired} ORDER BY length(path)
    }} END AS region,
  COLLECT {
    MATCH (p)-[h:HOLDS_ROLE]->(e:Enterprise)
    WHERE $as_of IS NULL OR ((h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on))
    RETURN h {.role, .title, .start_on, .end_on, .src_load, .src_file, .src_line, .src_at,
              enterprise: e {.uscc, .name}}
    ORDER BY h.start_on, e.uscc, h.role
  } AS roles,
  COLLECT {
    MATCH (p)-[h:HOLDS_SHARES]->(e:Enterprise)
    WHERE $as_of IS NULL OR ((h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on))
    RETURN h {.ratio, .subscribed_capital, .start_on, .end_on, .src_load, .src_file, .src_line, .src_at,
              enterprise: e {.uscc, .name}}
    ORDER BY h.ratio DESC, h.start_on, e.uscc
  } AS holdings,
  COLLECT {
    MATCH (rec:Record)-[:CONCERNS]->(p)
    OPTIONAL MATCH (rec)-[:DECIDED_BY]->(a:Authority)
    RETURN rec {.*,
      authority: a {.authority_id, .name, .region_code},
      subject: {kind: 'person', id: p.person_id, name: p.name},
      responsible: COLLECT { MATCH (rec)-[:NAMES_RESPONSIBLE]->(rp:Person) RETURN rp {.person_id, .name} ORDER BY rp.person_id },
      in_force: rec.decided_on <= $on AND (rec.valid_until IS NULL OR $on <= rec.valid_until)
                AND (rec.ended_on IS NULL OR $on < rec.ended_on)}
    ORDER BY rec.decided_on DESC, rec.record_id
  } AS records,
  COLLECT {
    MATCH (rec:Record)-[:NAMES_RESPONSIBLE]->(p)
    OPTIONAL MATCH (rec)-[:DECIDED_BY]->(a:Authority)
    OPTIONAL MATCH (rec)-[:CONCERNS]->(s)
    RETURN rec {.*,
      authority: a {.authority_id, .name, .region_code},
      subject: {kind: rec.subject_kind, id: rec.subject_id, name: s.name},
      responsible: COLLECT { MATCH (rec)-[:NAMES_RESPONSIBLE]->(rp:Person) RETURN rp {.person_id, .name} ORDER BY rp.person_id },
      in_force: rec.decided_on <= $on AND (rec.valid_until IS NULL OR $on <= rec.valid_until)
                AND (rec.ended_on IS NULL OR $on < rec.ended_on)}
    ORDER BY rec.decided_on DESC, rec.record_id
  } AS named_responsible_in
