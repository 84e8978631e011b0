// A batch of the search-key backfill (graph_service.facts.search_keys): enterprises after $after in
// uscc order that lack their keys ($everything: all of them), with what the keys are made of.
MATCH (e:Enterprise)
USING INDEX e:Enterprise(uscc)
WHERE e.uscc > $after AND ($everything OR e.search_keys IS NULL OR e.name_since IS NULL)
WITH e ORDER BY e.uscc LIMIT $limit
RETURN e.uscc AS id, e.name AS name,
       e {.name, .former_names, .former_names_from, .former_names_until, .name_since, .name_load, .src_load,
          .src_at} AS stored
