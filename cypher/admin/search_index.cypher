// The full-text index of subject names (docs/search.md): enterprises and persons by their names,
// former names and the search keys graph_service.facts.search_keys computes. The cjk analyser
// (Lucene's CJKAnalyzer) cuts Han text into overlapping bigrams, so part of a name matches without a
// dictionary of words; the keys are folded already, so the analyser's own folding is not relied on.
// Idempotent; applied with the schema (graph_service.db.apply_schema), and after the import of
// `load --initial` as a stage of its own.
CREATE FULLTEXT INDEX subject_names IF NOT EXISTS
FOR (n:Enterprise|Person) ON EACH [n.name, n.former_names, n.search_keys, n.pinyin_keys]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
