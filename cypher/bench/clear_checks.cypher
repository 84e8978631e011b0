// Benchmark only (bench/api.py): removes the answered checks and audit entries that earlier runs
// stored (the benchmark's database is its own: bench/api.py loads the bundle into it), so that
// every run measures the bundle's graph and not one grown by millions of stored checks (after
// 25 runs: 9.5M Check nodes beside 0.3M nodes of the bundle, a store three times the page cache).
// Run in an auto-commit transaction (session.run).
MATCH (n) WHERE n:Check OR n:AuditEntry
CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS
