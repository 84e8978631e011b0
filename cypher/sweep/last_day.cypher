// The last day the daily sweep swept (no row: never).
MATCH (s:SweepState {name: 'daily'})
RETURN s.last_day AS last_day
