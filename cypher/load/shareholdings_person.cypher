// Upserts holdings of a person holder (HOLDS_SHARES, keyed by holder_id|uscc|start_on):
// {key, holder_id, uscc, line, props, defaults}, only rows that are new or changed.
UNWIND $rows AS row
MATCH (h:Person {person_id: row.holder_id})
USING INDEX h:Person(person_id)
MATCH (e:Enterprise {uscc: row.uscc})
USING INDEX e:Enterprise(uscc)
MERGE (h)-[s:HOLDS_SHARES {key: row.key}]->(e)
ON CREATE SET s += row.defaults
SET s += row.props,
    s.src_load = $prov.src_load, s.src_file = $prov.src_file, s.src_line = row.line,
    s.src_at = $prov.src_at
RETURN count(*) AS written
