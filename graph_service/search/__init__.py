"""Finding subjects by name: the search box, query-by-example matching and their shared index.

Names are folded by graph_service.domain.names on both sides; the full-text index
``subject_names`` (cypher/admin/search_index.cypher) holds each subject's keys (docs/search.md).
`find` answers GET /v1/search (service.py), ranked by ranking.py.
"""

from graph_service.search.service import SearchResult, find

__all__ = ["SearchResult", "find"]
