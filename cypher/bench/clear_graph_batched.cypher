// Empties a large database in batches; run in an auto-commit transaction (session.run).
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS
