// Takes the daily sweep's lock for the transaction and reads the last day it swept (null: never).
// The right-hand side reads the property it sets, so Cypher locks the node first.
MERGE (s:SweepState {name: 'daily'})
SET s.last_day = s.last_day
RETURN s.last_day AS last_day
