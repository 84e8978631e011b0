// The indexes that are not a constraint's and not a token lookup (tests/test_schema_indexes.py).
SHOW INDEXES YIELD name, type, labelsOrTypes, properties, owningConstraint
WHERE type <> 'LOOKUP' AND owningConstraint IS NULL
RETURN name, labelsOrTypes[0] AS label, properties
ORDER BY name
