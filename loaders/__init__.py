"""Loaders for the CSV bundle of input-format.md (issue 2, item 4).

`load_bundle` validates, checks and writes a bundle folder; `check_bundle` validates one without Neo4j; `graph_service.facts.writer` holds the batched
write functions that the API shares; `graph_service.facts.models` the row models.
"""

from loaders.bundle import FILE_ORDER, BundleError, LoadFailed, check_bundle, load_bundle
from loaders.result import FileCounts, Issue, LoadResult

__all__ = ["FILE_ORDER", "BundleError", "FileCounts", "Issue", "LoadFailed", "LoadResult", "check_bundle",
           "load_bundle"]
