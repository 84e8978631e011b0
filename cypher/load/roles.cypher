// Upserts roles (HOLDS_ROLE, keyed by person_id|uscc|role|start_on): {key, person_id, uscc, line,
// props, defaults}, only rows that are new or changed. Both ends exist: the loader checked them;
// `written` lets it notice one that vanished meanwhile.
UNWIND $rows AS row
MATCH (p:Person {person_id: row.person_id})
USING INDEX p:Person(person_id)
MATCH (e:Enterprise {uscc: row.uscc})
USING INDEX e:Enterprise(uscc)
MERGE (p)-[r:HOLDS_ROLE {key: row.key}]->(e)
ON CREATE SET r += row.defaults
SET r += row.props,
    r.src_load = $prov.src_load, r.src_file = $prov.src_file, r.src_line = row.line,
    r.src_at = $prov.src_at
RETURN count(*) AS written
