"""Finding subjects by name: the search box, query-by-example matching and their shared index.

Names are folded by graph_service.domain.names on both sides; the full-text index
``subject_names`` (cypher/admin/schema.cypher) holds each subject's keys (docs/search.md).
"""
