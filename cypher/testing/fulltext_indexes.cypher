// The full-text indexes, their state and analyser (tests/test_search_index.py).
SHOW FULLTEXT INDEXES YIELD name, state, labelsOrTypes, properties, options
RETURN name, state, labelsOrTypes AS labels, properties, options.indexConfig.`fulltext.analyzer` AS analyzer
