// Benchmark only (bench/workbench.py): the enterprise with the most role and shareholding links,
// whose depth-2 network fills the canvas (CREDIT_GRAPH_NETWORK_MAX_NODES).
MATCH (e:Enterprise)
WITH e, COUNT { (e)-[:HOLDS_ROLE|HOLDS_SHARES]-() } AS links
ORDER BY links DESC
LIMIT 1
RETURN e.uscc AS uscc, links
