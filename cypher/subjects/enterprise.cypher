// The stored facts of one enterprise (GET /v1/enterprises/{uscc}).
// $as_of: a date keeping only the roles and holdings held that day (half-open [start_on, end_on)),
// or null for all of them; $on: the day on which `in_force` of each record is judged.
MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (e)-[:REGISTERED_IN]->(r:Region)
RETURN e {.*} AS enterprise,
  COLLECT { MATCH (y:Enterprise)-[:MERGED_INTO*1..]->(e) RETURN y.uscc ORDER BY y.uscc } AS merged_from,
  CASE WHEN r IS NULL THEN null ELSE r {.code, .name, .level, .retired,
    ancestors: COLLECT {
      MATCH path = (r)-[:PART_OF*1..4]->(a:Region)
      RETURN a {.code, .name, .level, .retired} ORDER BY length(path)
    }} END AS region,
  COLLECT {
    MATCH (p:Person)-[h:HOLDS_ROLE]->(e)
    WHERE $as_of IS NULL OR ((h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on))
    RETURN h {.role, .title, .start_on, .end_on, .src_load, .src_file, .src_line, .src_at,
              person: p {.person_id, .name}}
    ORDER BY h.role, h.start_on, p.person_id
  } AS roles,
  COLLECT {
    MATCH (holder)-[h:HOLDS_SHARES]->(e)
    WHERE (holder:Person OR holder:Enterprise)
      AND ($as_of IS NULL OR ((h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on)))
    RETURN h {.ratio, .subscribed_capital, .start_on, .end_on, .src_load, .src_file, .src_line, .src_at,
              holder: {kind: CASE WHEN holder:Person THEN 'person' ELSE 'enterprise' END,
                       id: coalesce(holder.person_id, holder.uscc), name: holder.name}}
    ORDER BY h.ratio DESC, h.start_on, coalesce(holder.person_id, holder.uscc)
  } AS shareholders,
  COLLECT {
    MATCH (e)-[h:HOLDS_SHARES]->(t:Enterprise)
    WHERE $as_of IS NULL OR ((h.start_on IS NULL OR h.start_on <= $as_of) AND (h.end_on IS NULL OR $as_of < h.end_on))
    RETURN h {.ratio, .subscribed_capital, .start_on, .end_on, .src_load, .src_file, .src_line, .src_at,
              enterprise: t {.uscc, .name}}
    ORDER BY h.ratio DESC, h.start_on, t.uscc
  } AS holdings,
  COLLECT {
    MATCH (rec:Record)-[:CONCERNS]->(e)
    OPTIONAL MATCH (rec)-[:DECIDED_BY]->(a:Authority)
    RETURN rec {.*,
      authority: a {.authority_id, .name, .region_code},
      subject: {kind: 'enterprise', id: e.uscc, name: e.name},
      responsible: COLLECT { MATCH (rec)-[:NAMES_RESPONSIBLE]->(rp:Person) RETURN rp {.person_id, .name} ORDER BY rp.person_id },
      in_force: rec.decided_on <= $on AND (rec.valid_until IS NULL OR $on <= rec.valid_until)
                AND (rec.ended_on IS NULL OR $on < rec.ended_on)}
    ORDER BY rec.decided_on DESC, rec.record_id
  } AS records
