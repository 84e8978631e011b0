// Tests only: whether the graph holds the demo bundle (loaders/demo) as loaded and propagated, so
// the API tests of several modules load it once: its enterprises, and its liabilities. Its
// enterprises must still hold what the demo load wrote (src_load): a test bundle that repeats a
// demo enterprise with other values (tests/test_initial_import.py) leaves them changed.
OPTIONAL MATCH (e:Enterprise) WHERE e.uscc IN $usccs
WITH count(e) AS enterprises, count(CASE WHEN e.src_load = $load_id THEN 1 END) AS as_loaded
RETURN enterprises, as_loaded,
       COUNT { MATCH (:Load {status: 'done'}) } AS loads,
       COUNT { MATCH (:Liability) } AS liabilities,
       COUNT { MATCH (:Enterprise) } AS all_enterprises,
       COUNT { MATCH (:Record) } AS records
