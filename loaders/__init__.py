"""Loaders for the CSV bundle of input-format.md (issue 2, item 4).

`load_bundle` validates, checks and writes a bundle folder (loaders.load, through the write queue
of loaders.write_queue); `check_bundle` validates one without Neo4j (loaders.bundle); the first
load into an empty local instance goes through `loaders.initial.initial_import`. The row models
and the batched write statements, which the API shares, are in `graph_service.facts`.
"""

from loaders.bundle import FILE_ORDER, BundleError, FileCounts, Issue, LoadResult, check_bundle
from loaders.load import LoadFailed, load_bundle

__all__ = ["FILE_ORDER", "BundleError", "FileCounts", "Issue", "LoadFailed", "LoadResult", "check_bundle",
           "load_bundle"]
