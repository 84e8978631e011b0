// One breadth-first step of the related-party network (GET /v1/subjects/{id}/network, /risk), along
// the relations asked, in one statement: from each frontier node ($usccs, $person_ids), the links
// held on $as_of (half-open [start_on, end_on)), or all of them when $history. Each relation has
// its own branch with its relationship types written here; $role, $shareholding and
// $named_responsible are null (not read) or {after, skip}: keyset pages on the link's key (after:
// the last key of the previous page, or null; skip: an offset, for callers whose cursor may not
// carry a person id). At most $limit links per node and relation; <relation>_remaining counts this
// page and the next ones, so the caller knows what a cap left out.
// An edge is a list, the same positions in every branch (a map per edge, its keys repeated 800 times
// in a hub's answer, cost the server and the driver a third more than the reading):
//   [key, start_on, end_on, source id, source is a person, target uscc,
//    other is a person, other id, other name, other region_code, other element id, a, b]
// with a, b: role and title (role), ratio and subscribed_capital (shareholding), record_id and
// record kind (named_responsible); start_on and end_on as ISO strings (null when open): a few
// hundred temporal values cost the driver more than the statement. The element id lets
// network_flags, in the same transaction, find the node without an index seek.
// graph_service/api/relations.py reads them.
//   role:              HOLDS_ROLE person -> enterprise
//   shareholding:      HOLDS_SHARES holder -> enterprise, both ways
//   named_responsible: a person that a record about an enterprise names as directly responsible
//                      (Person <-NAMES_RESPONSIBLE- Record -CONCERNS-> Enterprise), one edge person ->
//                      enterprise dated by the decision; records decided and in force on $as_of.
CALL () {
  UNWIND $usccs AS id
  MATCH (n:Enterprise {uscc: id})
  RETURN n
  UNION
  UNWIND $person_ids AS id
  MATCH (n:Person {person_id: id})
  RETURN n
}
// One row with a map per node: a record per node costs the driver a round of socket reads each.
RETURN collect({
  kind: CASE WHEN n:Person THEN 'person' ELSE 'enterprise' END,
  id: coalesce(n.uscc, n.person_id),
  role_remaining: CASE WHEN $role IS NULL THEN 0 ELSE COUNT {
          MATCH (n)-[r:HOLDS_ROLE]-(:Person|Enterprise)
          WHERE ($history OR ((r.start_on IS NULL OR r.start_on <= $as_of) AND (r.end_on IS NULL OR $as_of < r.end_on)))
            AND ($role.after IS NULL OR r.key > $role.after)
        } END,
  role_edges: CASE WHEN $role IS NULL THEN [] ELSE COLLECT {
          MATCH (n)-[r:HOLDS_ROLE]-(m:Person|Enterprise)
          WHERE ($history OR ((r.start_on IS NULL OR r.start_on <= $as_of) AND (r.end_on IS NULL OR $as_of < r.end_on)))
            AND ($role.after IS NULL OR r.key > $role.after)
          RETURN [r.key, toString(r.start_on), toString(r.end_on), startNode(r).person_id, true, endNode(r).uscc,
                  m:Person, coalesce(m.uscc, m.person_id), m.name, m.region_code, elementId(m), r.role, r.title]
          ORDER BY r.key
          SKIP $role.skip
          LIMIT $limit
        } END,
  shareholding_remaining: CASE WHEN $shareholding IS NULL THEN 0 ELSE COUNT {
          MATCH (n)-[r:HOLDS_SHARES]-(:Person|Enterprise)
          WHERE ($history OR ((r.start_on IS NULL OR r.start_on <= $as_of) AND (r.end_on IS NULL OR $as_of < r.end_on)))
            AND ($shareholding.after IS NULL OR r.key > $shareholding.after)
        } END,
  shareholding_edges: CASE WHEN $shareholding IS NULL THEN [] ELSE COLLECT {
          MATCH (n)-[r:HOLDS_SHARES]-(m:Person|Enterprise)
          WHERE ($history OR ((r.start_on IS NULL OR r.start_on <= $as_of) AND (r.end_on IS NULL OR $as_of < r.end_on)))
            AND ($shareholding.after IS NULL OR r.key > $shareholding.after)
          WITH r, m, startNode(r) AS h
          RETURN [r.key, toString(r.start_on), toString(r.end_on), coalesce(h.uscc, h.person_id), h:Person, endNode(r).uscc,
                  m:Person, coalesce(m.uscc, m.person_id), m.name, m.region_code, elementId(m), r.ratio, r.subscribed_capital]
          ORDER BY r.key
          SKIP $shareholding.skip
          LIMIT $limit
        } END,
  named_responsible_remaining: CASE WHEN $named_responsible IS NULL THEN 0 ELSE COUNT {
          CALL (n) {
            MATCH (n:Person)<-[:NAMES_RESPONSIBLE]-(rec:Record)-[:CONCERNS]->(e:Enterprise)
            RETURN rec, n AS p, e
            UNION
            MATCH (n:Enterprise)<-[:CONCERNS]-(rec:Record)-[:NAMES_RESPONSIBLE]->(p:Person)
            RETURN rec, p, n AS e
          }
          WITH rec, p
          WHERE ($history OR (rec.decided_on <= $as_of AND (rec.valid_until IS NULL OR $as_of <= rec.valid_until)
                              AND (rec.ended_on IS NULL OR $as_of < rec.ended_on)))
            AND ($named_responsible.after IS NULL OR rec.record_id + '|' + p.person_id > $named_responsible.after)
          RETURN rec
        } END,
  named_responsible_edges: CASE WHEN $named_responsible IS NULL THEN [] ELSE COLLECT {
          CALL (n) {
            MATCH (n:Person)<-[:NAMES_RESPONSIBLE]-(rec:Record)-[:CONCERNS]->(e:Enterprise)
            RETURN rec, n AS p, e, e AS m
            UNION
            MATCH (n:Enterprise)<-[:CONCERNS]-(rec:Record)-[:NAMES_RESPONSIBLE]->(p:Person)
            RETURN rec, p, n AS e, p AS m
          }
          WITH rec, p, e, m
          WHERE ($history OR (rec.decided_on <= $as_of AND (rec.valid_until IS NULL OR $as_of <= rec.valid_until)
                              AND (rec.ended_on IS NULL OR $as_of < rec.ended_on)))
            AND ($named_responsible.after IS NULL OR rec.record_id + '|' + p.person_id > $named_responsible.after)
          RETURN [rec.record_id + '|' + p.person_id, toString(rec.decided_on),
                  toString(CASE WHEN rec.ended_on IS NOT NULL THEN rec.ended_on ELSE rec.valid_until + duration('P1D') END),
                  p.person_id, true, e.uscc,
                  m:Person, coalesce(m.uscc, m.person_id), m.name, m.region_code, elementId(m), rec.record_id, rec.kind]
          ORDER BY rec.record_id + '|' + p.person_id
          SKIP $named_responsible.skip
          LIMIT $limit
        } END
}) AS rows
