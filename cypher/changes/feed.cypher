// The change feed (GET /v1/changes, `credit-graph changes`; docs/changes.md): the entries after
// sequence number $after in order, looking at no more than $scan of them; of those, the ones with
// $region among their regions (null: any) and of one of $kinds (null: any), at most $limit.
// `last`: where the next page starts (the last entry returned when the page is full, else the
// last one looked at), so a reader keeping it never misses or repeats an entry; `end`: nothing
// was left to look at.
MATCH (c:Change)
WHERE c.seq > $after
WITH c ORDER BY c.seq LIMIT $scan
WITH collect(c) AS scanned
WITH scanned, [c IN scanned WHERE ($region IS NULL OR $region IN c.regions)
                              AND ($kinds IS NULL OR c.kind IN $kinds)][..$limit] AS hits
RETURN [c IN hits | c {.seq, .set, .kind, .key, .subjects, .regions, .actor, .department, .before, .after,
                       at: toString(c.at), effective_on: toString(c.effective_on)}] AS entries,
       CASE WHEN size(hits) = $limit THEN hits[-1].seq ELSE coalesce(scanned[-1].seq, $after) END AS last,
       size(scanned) < $scan AND size(hits) < $limit AS end
