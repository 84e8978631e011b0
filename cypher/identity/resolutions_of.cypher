// The active judgements on a pair of subjects ($pair_key: the two ids sorted, joined by '|').
MATCH (r:Resolution {pair_key: $pair_key, status: 'active'})
RETURN r {.*} AS resolution
ORDER BY r.at
