// A graph as loaded before subjects had search keys (tests/test_search_index.py: the backfill).
MATCH (n)
WHERE n:Enterprise OR n:Person
REMOVE n.search_keys, n.pinyin_keys, n.former_names, n.former_names_from, n.former_names_until, n.name_since,
       n.name_load
