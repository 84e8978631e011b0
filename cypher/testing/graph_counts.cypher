// Nodes and relationships in the whole graph (tests: a read-only step leaves both as they were).
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships
