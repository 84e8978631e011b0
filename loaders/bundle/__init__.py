"""The bundle and its validation, without writing: the files and their reading (`files`, `csvfile`,
`encoding`, `manifest`), each row through its model (`rows`), the checks across rows (`checks`),
the pass over a bundle (`bundle_pass`) with its validation in worker processes (`validate_pool`)
or forked ones (`forked_files`, `split`), and what a load reports (`result`)."""

from loaders.bundle.bundle_pass import BundlePass, Progress, RowWriter, check_bundle
from loaders.bundle.files import FILE_ORDER, FILES, BundleError, new_load_result, open_bundle
from loaders.bundle.result import FileCounts, Issue, LoadResult
from loaders.bundle.rows import validate_row

__all__ = ["FILES", "FILE_ORDER", "BundleError", "BundlePass", "FileCounts", "Issue", "LoadResult", "Progress",
           "RowWriter", "check_bundle", "new_load_result", "open_bundle", "validate_row"]
