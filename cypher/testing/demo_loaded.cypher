// Tests only: whether the graph holds the demo bundle (loaders/demo) as loaded and propagated, so
// the API tests of several modules load it once: its enterprises, and its liabilities.
OPTIONAL MATCH (e:Enterprise) WHERE e.uscc IN $usccs
WITH count(e) AS enterprises
RETURN enterprises,
       COUNT { MATCH (:Load {status: 'done'}) } AS loads,
       COUNT { MATCH (:Liability) } AS liabilities,
       COUNT { MATCH (:Enterprise) } AS all_enterprises,
       COUNT { MATCH (:Record) } AS records
