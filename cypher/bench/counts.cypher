// Benchmark only (bench/propagation.py): the size of the graph and of what propagation derived, and
// how many records the benchmark itself wrote (record ids starting with $prefix).
RETURN COUNT { (:Enterprise) } AS enterprises, COUNT { (:Person) } AS persons, COUNT { (:Record) } AS records,
       COUNT { ()-[:HOLDS_ROLE]->() } AS roles, COUNT { ()-[:HOLDS_SHARES]->() } AS holdings,
       COUNT { (:Liability) } AS liabilities, COUNT { ()-[:REACHES_REGION]->() } AS region_reaches,
       COUNT { (:Notification) } AS notifications,
       COUNT { MATCH (r:Record) WHERE r.record_id STARTS WITH $prefix RETURN r } AS bench_records
