// The search keys and name history of every enterprise and person (tests/test_search_index.py).
MATCH (n)
WHERE n:Enterprise OR n:Person
RETURN coalesce(n.uscc, n.person_id) AS id,
       n {.search_keys, .pinyin_keys, .former_names, .former_names_from, .former_names_until, .name_since,
          .name_load} AS props
ORDER BY id
