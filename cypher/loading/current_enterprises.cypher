// The stored properties of the given enterprises, so the loader writes only what changed
// (the properties a row can set: loaders/writer.py; not provenance, which is not compared), and
// what the search keys and former names are made of (graph_service.facts.search_keys).
UNWIND $ids AS id
MATCH (n:Enterprise {uscc: id})
USING INDEX n:Enterprise(uscc)
RETURN id, n {.name, .kind, .region_code, .status, .established_on, .registered_capital, .industry, .address} AS props,
       n {.search_keys, .former_names, .former_names_from, .former_names_until, .name_since, .name_load, .src_load,
          .src_at} AS names
