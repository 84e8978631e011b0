// Every relationship with its type, properties and the keys of its ends (tests compare graphs), but
// the change log's (tests/test_changes.py has its own).
MATCH (a)-[r]->(b)
WHERE NOT a:Change
WITH a, r, b, [k IN ['uscc', 'person_id', 'code', 'record_id', 'authority_id', 'liability_id',
                     'notification_id', 'load_id'] WHERE a[k] IS NOT NULL | a[k]] AS ak,
     [k IN ['uscc', 'person_id', 'code', 'record_id', 'authority_id', 'liability_id',
            'notification_id', 'load_id'] WHERE b[k] IS NOT NULL | b[k]] AS bk
RETURN type(r) AS type, head(ak) AS src, head(bk) AS dst, properties(r) AS props
