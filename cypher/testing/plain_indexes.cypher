// The indexes that are not a constraint's, a token lookup or a full-text one (tests/test_schema_indexes.py:
// the planner never shows a full-text index, which is read by name through a procedure).
SHOW INDEXES YIELD name, type, labelsOrTypes, properties, owningConstraint
WHERE NOT type IN ['LOOKUP', 'FULLTEXT'] AND owningConstraint IS NULL
RETURN name, labelsOrTypes[0] AS label, properties
ORDER BY name
