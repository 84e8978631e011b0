// One watch by id (deleted ones too: their alerts stay readable to their owner).
MATCH (w:Watch {watch_id: $watch_id})
RETURN w {.*, created_at: toString(w.created_at)} AS watch
