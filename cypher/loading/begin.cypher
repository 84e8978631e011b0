// Marks a load as running. A load id is derived from the bundle's content, so running the same
// bundle again (a resume after a crash, or a reload) continues the same Load node. department: the
// reporting department the load names (--department or manifest.json; part of the load id).
MERGE (l:Load {load_id: $load_id})
SET l.bundle = $bundle, l.department = $department, l.started_at = $started_at, l.finished_at = null,
    l.status = 'running', l.runs = coalesce(l.runs, 0) + 1
