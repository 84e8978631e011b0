// One batch of a full recompute's clean-up: delete up to $batch region reaches (REACHES_REGION).
// Done before the reach stage, one transaction at a time, so that the stage's parallel batches
// only create relationships on the region nodes: deleting from such a dense node takes its
// relationship-group lock exclusively, and two batches doing so deadlocked.
MATCH ()-[x:REACHES_REGION]->()
WITH x LIMIT $batch
DELETE x
RETURN count(*) AS deleted
