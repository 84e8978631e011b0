// Ends a watch: it alerts no more; its alerts and deliveries stay.
MATCH (w:Watch {watch_id: $watch_id})
SET w.status = 'deleted', w.deleted_at = datetime()
RETURN w {.*, created_at: toString(w.created_at)} AS watch
