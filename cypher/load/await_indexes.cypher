// Waits until every index is online (after an import, the schema's indexes populate in the background).
CALL db.awaitIndexes($timeout_s)
