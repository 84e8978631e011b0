// The daily sweep swept $day (its entries were appended in this transaction).
MATCH (s:SweepState {name: 'daily'})
SET s.last_day = $day, s.at = datetime()
