// One batch of a full recompute's clean-up: delete up to $batch liabilities.
MATCH (l:Liability)
WITH l LIMIT $batch
DETACH DELETE l
RETURN count(*) AS deleted
