// The change feed of one subject (GET /v1/changes?subject=, the histories): the entries about the
// enterprise or person $subject after sequence number $after in order, of one of $kinds (null:
// any), with $region among their regions (null: any), at most $limit; `last` and `end` as in
// changes/feed (a subject has few entries: they are all looked at).
OPTIONAL MATCH (e:Enterprise {uscc: $subject})
OPTIONAL MATCH (p:Person {person_id: $subject})
WITH coalesce(e, p) AS s
CALL (s) {
  MATCH (c:Change)-[:ABOUT]->(s)
  WHERE c.seq > $after AND ($region IS NULL OR $region IN c.regions) AND ($kinds IS NULL OR c.kind IN $kinds)
  RETURN c ORDER BY c.seq LIMIT $limit + 1
}
WITH collect(c) AS found
WITH found[..$limit] AS hits, size(found) > $limit AS more
RETURN [c IN hits | c {.seq, .set, .kind, .key, .subjects, .regions, .actor, .department, .before, .after,
                       at: toString(c.at), effective_on: toString(c.effective_on)}] AS entries,
       CASE WHEN size(hits) > 0 THEN hits[-1].seq ELSE $after END AS last,
       NOT more AS end
