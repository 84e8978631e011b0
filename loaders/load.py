"""`load_bundle`: a bundle written into the graph by transactions, and the load's bookkeeping
(its Load node, begun and finished).

Idempotent and resumable: every write is an upsert by key that leaves unchanged facts as they
were, and the load id is derived from the bundle's content, so running a bundle again, after a
crash half way or not, ends with the same graph as one uninterrupted run.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import neo4j

from graph_service.cypher import query
from graph_service.db import apply_schema
from graph_service.errors import ServiceError
from graph_service.facts.search_keys import backfill
from graph_service.settings import neo4j_settings
from loaders.bundle import BundlePass, LoadResult, Progress, new_load_result, open_bundle
from loaders.write_queue import WriteQueue


class LoadFailed(ServiceError, RuntimeError):
    """Writing stopped half way (the graph or the process failed). Running the same bundle again
    resumes: what was written stays, the rest is written."""

    def __init__(self, message: str, result: LoadResult):
        super().__init__(message)
        self.result = result


def load_bundle(driver: neo4j.Driver, bundle_dir: str | Path, *, database: str | None = None,
                strict: bool = False, dry_run: bool = False, report_path: str | Path | None = None,
                batch_size: int = 5000, progress: Progress | None = None,
                writers: int = 2, validators: int = 1, department: str | None = None) -> LoadResult:
    """Loads a bundle folder. Rejected rows are reported, never written; the rest is written
    (``strict``: nothing is written if any row is rejected; ``dry_run``: nothing is written).

    ``writers``: threads writing batches at once (enterprises, persons and roles are split among
    them; a machine with two cores gains from two). ``validators``: processes validating rows
    (loaders.bundle.validate_pool); 1 validates in this process. ``department``: the reporting
    department (else manifest.json's), kept on the Load node and on every fact written. Raises
    BundleError when there is nothing to load, LoadFailed when writing stopped half way.
    """
    started = time.monotonic()
    bundle, files, load_id = open_bundle(bundle_dir, department)
    db = database or neo4j_settings().database

    def new_result() -> LoadResult:
        return new_load_result(bundle, load_id, dry_run=dry_run, strict=strict, department=department)

    result = new_result()
    try:
        if dry_run or strict:
            BundlePass(driver, db, bundle, files, result, batch_size=batch_size,
                       progress=progress, validators=validators).run()
            if dry_run or not result.ok:
                return result
            result = new_result()
        result.written = True
        apply_schema(driver, db)
        # A graph loaded before subjects had search keys gets them now (a keyed graph: one read).
        backfill(driver, db)
        driver.execute_query(query("loading/begin"), load_id=load_id, bundle=str(bundle.resolve()),
                             department=result.department, started_at=datetime.now(UTC), database_=db)
        try:
            writer = WriteQueue(driver, db, load_id, result.files, writers, result.department)
            try:
                BundlePass(driver, db, bundle, files, result, batch_size=batch_size,
                           progress=progress, writer=writer, validators=validators).run()
            finally:
                writer.close()
        except BaseException as exc:
            result.status = "failed"
            finish_load(driver, db, result)
            raise LoadFailed(f"the load stopped half way ({type(exc).__name__}: {exc}); "
                             "run the same bundle again to resume", result) from exc
        finish_load(driver, db, result)
        return result
    finally:
        result.elapsed = time.monotonic() - started
        if report_path is not None:
            result.write_report(Path(report_path))


def finish_load(driver: neo4j.Driver, db: str, result: LoadResult) -> None:
    """Sets the Load node's status and counts at the end of a load (done or failed)."""
    try:
        driver.execute_query(query("loading/finish"), load_id=result.load_id, status=result.status,
                             finished_at=datetime.now(UTC), counts=result.counts_json(), database_=db)
    except Exception:
        if result.status == "done":
            raise
        # The graph itself failed: the Load node stays "running"; a rerun resumes anyway.
