"""`credit-graph load BUNDLE --initial`: the first load into an empty local instance, through
`neo4j-admin database import` rather than transactions (docs/loading.md).

The bundle is validated and checked by the same pass as an ordinary load (same rejections, same
report); the accepted rows become import files (loaders.initial.import_files) instead of write statements,
and so does what propagation derives from them (liabilities, region reach, notifications:
loaders.initial.derived). The import tool builds a new store in a staging folder; only when it
succeeded is the (empty) database replaced and the server started again. Then the schema is
applied, and rows held back (repeated keys) are written by the transactional writer, which
propagates what they change as every write does.

Never half-written: until the store is swapped, the live database is untouched (a failed or killed
import leaves it empty, and running the command again starts over). After the swap the Load node
says `mode: initial, status: importing`; running the same command again then finishes the load
through the ordinary, idempotent loader and a full propagation.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import neo4j

from graph_service import changelog, neo4j_local, propagation, runner
from graph_service.cypher import query
from graph_service.db import Connection, apply_schema, apply_search_index, driver
from graph_service.domain.catalogue import catalogue
from graph_service.runner import Log, Plan
from loaders.bundle import FILE_ORDER, BundleError, BundlePass, LoadResult, Progress, new_load_result, open_bundle
from loaders.initial.derived import derive
from loaders.initial.import_files import ImportSink
from loaders.load import LoadFailed, finish_load, load_bundle
from loaders.write_queue import WriteQueue

DATABASE = "neo4j"  # Community Edition has one user database
INDEX_TIMEOUT_S = 3600
# Processes validating rows (loaders.bundle.validate_pool). One: on two cores more were slower (the
# reading process pickles rows for as long as they save); more cores may gain (load_bundle(validators=N)).
VALIDATORS = 1
Stage = Callable[[str], None]  # a line saying what the load does now

log = logging.getLogger(__name__)


class NotEmpty(BundleError):
    status, code = 409, "not_empty"

    """The database holds data: an import would replace it."""


def _connect(st: neo4j_local.InstanceStatus) -> neo4j.Driver:
    assert st.uri is not None, "a running instance has a Bolt URI"
    return driver(Connection(st.uri, st.username, st.password or "", DATABASE))


def _state(drv: neo4j.Driver) -> dict:
    records, _, _ = drv.execute_query(query("loading/initial_state"), database_=DATABASE)
    return records[0].data()


def _resumable(state: dict, load_id: str) -> bool:
    loads = state["loads"]
    return (len(loads) == 1 and loads[0]["load_id"] == load_id and loads[0]["mode"] == "initial"
            and loads[0]["status"] != "done")


def initial_import(bundle_dir: str | Path, *, instance: str = "default", strict: bool = False,
                   report_path: str | Path | None = None, batch_size: int = 5000,
                   progress: Progress | None = None, stage: Stage | None = None,
                   workers: int = 2, validators: int = VALIDATORS, settings=None,
                   department: str | None = None) -> LoadResult:
    """Loads a bundle into the empty database of the local instance ``instance`` (started if it
    is not running) by an offline import. Raises NotEmpty when the database holds data other than
    the national region table, BundleError when there is nothing to load, LoadFailed when the load
    stopped (the message says whether the database was touched)."""
    started = time.monotonic()
    say = stage or (lambda line: None)
    bundle, files, load_id = open_bundle(bundle_dir, department)
    result = new_load_result(bundle, load_id, strict=strict, department=department)

    st = neo4j_local.status(instance, settings)
    if not st.running:
        say(f"starting the local Neo4j {instance!r}")
        st = neo4j_local.start(instance, settings=settings, echo=lambda *a: None)
    drv = _connect(st)
    try:
        state = _state(drv)
        if _resumable(state, load_id):
            say("an earlier --initial load of this bundle stopped after its import: finishing it")
            return _finish_interrupted(drv, bundle, result, report_path, batch_size, progress, say, workers,
                                       started, department)
        if state["others"] or state["bundle_regions"]:
            loads = ", ".join(f"{x['load_id']} ({x['status']})" for x in state["loads"][:3]) or "none"
            raise NotEmpty(
                f"the database of instance {instance!r} is not empty ({state['others']:,} nodes besides "
                f"the region table; loads: {loads}): --initial replaces the whole database, so it only "
                "loads into an empty one. Load without --initial to add to the graph.")
    finally:
        drv.close()

    staging = st.home / "import-staging"
    shutil.rmtree(staging, ignore_errors=True)
    at = datetime.now(UTC)
    sink = ImportSink(staging / "csv", load_id, str(bundle.resolve()), at, result.department)
    # The empty server is not needed until its store is replaced: it shuts down meanwhile.
    stopper = threading.Thread(target=neo4j_local.stop, args=(instance, settings), daemon=True)
    stopper.start()
    try:
        try:
            t = time.monotonic()
            say("validating and writing the import files")
            BundlePass(None, DATABASE, bundle, files, result, batch_size=batch_size, progress=progress,
                       sink=sink, graph_empty=True, validators=validators,
                       fork_files=validators <= 1).run()
            plan = sink.close()
            result.stages["validate"] = time.monotonic() - t
            if strict and (result.rejected or result.failed_files):
                return result
            t = time.monotonic()
            say("deriving liabilities, region reach and notifications")
            derived = derive(plan, staging / "csv", at, catalogue())
            result.stages["derive"] = time.monotonic() - t
            say(f"  {derived['liabilities']:,} liabilities, {derived['reaches']:,} region reaches")
            result.written = True

            t = time.monotonic()
            say(f"neo4j-admin database import: {sum(plan.counts.values()):,} nodes and relationships")
            try:
                neo4j_local.admin_import(instance, staging, plan.nodes, plan.relationships,
                                         multiline=plan.multiline, database=DATABASE, settings=settings,
                                         on_line=_tool_lines(say))
            except neo4j_local.Neo4jLocalError as exc:
                result.status = "failed"
                raise LoadFailed(f"the import failed; the database was not touched: {exc}", result) from exc
            result.stages["import"] = time.monotonic() - t
            t = time.monotonic()
            say("starting Neo4j on the imported store")
            stopper.join()
            neo4j_local.replace_database(instance, staging, DATABASE, settings)
        finally:
            # With the imported store, or (strict, a failed import) as it was: running again.
            stopper.join()
            shutil.rmtree(staging, ignore_errors=True)
            st = neo4j_local.start(instance, settings=settings, echo=lambda *a: None)
        result.stages["swap"] = time.monotonic() - t

        drv = _connect(st)
        try:
            try:
                _after_import(drv, result, sink, say)
            except BaseException as exc:
                result.status = "failed"
                finish_load(drv, DATABASE, result)
                raise LoadFailed(f"the load stopped after its import ({type(exc).__name__}: {exc}); the "
                                 "imported rows are in place: run the same command again to finish",
                                 result) from exc
            finish_load(drv, DATABASE, result)
        finally:
            drv.close()
        return result
    finally:
        result.elapsed = time.monotonic() - started
        if report_path is not None:
            result.write_report(Path(report_path))


def _tool_lines(say: Stage) -> Callable[[str], None]:
    """The import tool's stage lines ("(1/4) Node import ...", "IMPORT DONE ..."), not its dots."""
    def on_line(line: str) -> None:
        s = line.strip()
        if s.startswith("(") or s.startswith("IMPORT") or s.startswith("Imported") or s.endswith("COMPLETED"):
            say(f"  {s}")
    return on_line


def _imported_plan(result: LoadResult) -> Plan[None]:
    """The change log's entry of the import (docs/changes.md, load.imported): the bundle, its load
    id (its content's digest) and what it wrote; the log does not repeat its rows one by one, the
    imported facts name the load (src_load) and the bundle holds them."""
    counts = {f: {"read": c.read, "loaded": c.loaded} for f, c in result.files.items()}
    load_id = str(result.load_id)
    yield Log([changelog.entry("load.imported", load_id, changelog.actor_of(load_id, result.department),
                               after={"load_id": result.load_id, "bundle": result.bundle, "files": counts})])


def _after_import(drv: neo4j.Driver, result: LoadResult, sink: ImportSink, say: Stage) -> None:
    runner.write(drv, lambda: _imported_plan(result), DATABASE)
    t = time.monotonic()
    say("applying the schema (indexes populate)")
    # The empty lists are written meanwhile: on the server just started both are mostly waiting
    # for its JIT, and the write only touches Record nodes, whose lock it takes after (or before)
    # the schema transaction's.
    with ThreadPoolExecutor(1) as background:
        lists = background.submit(drv.execute_query, query("loading/initial_empty_lists"), database_=DATABASE)
        apply_schema(drv, DATABASE, index_timeout_s=INDEX_TIMEOUT_S, search_index=False)
        lists.result()
    result.stages["schema"] = time.monotonic() - t
    # The full-text index of names fills after the others, so its build time is a stage of its own
    # (docs/search.md); the import files hold the keys it indexes.
    t = time.monotonic()
    say("building the full-text index of names (subject_names)")
    apply_search_index(drv, DATABASE, index_timeout_s=INDEX_TIMEOUT_S)
    result.stages["search index"] = time.monotonic() - t

    if sink.held:
        t = time.monotonic()
        say(f"writing {sum(len(r) for r in sink.held.values()):,} rows that repeat a key, as updates")
        writer = WriteQueue(drv, DATABASE, sink.load_id, result.files, workers=1, department=result.department)
        try:
            for file in FILE_ORDER:
                if file in sink.held:
                    writer.submit(file, sink.held[file], sink.columns[file])
            writer.drain()
        finally:
            writer.close()
        _drop_unreached_notifications(drv)
        result.stages["repeated keys"] = time.monotonic() - t


def _drop_unreached_notifications(drv: neo4j.Driver) -> None:
    """The imported facts are the first row of each key; the rows that repeat a key came after
    (cypher/loading/initial_unreached_notifications.cypher says why this is needed)."""
    drv.execute_query(query("loading/initial_unreached_notifications"), database_=DATABASE)


def _finish_interrupted(drv, bundle: Path, result: LoadResult, report_path, batch_size, progress, say,
                        workers, started, department) -> LoadResult:
    """The import is in place but what follows it did not finish: the ordinary loader writes what
    the import could not (it compares every row with the graph, so the rest stays), then a full
    propagation."""
    done = load_bundle(drv, bundle, database=DATABASE, strict=result.strict, report_path=report_path,
                       batch_size=batch_size, progress=progress, writers=workers, department=department)
    t = time.monotonic()
    say("propagating liabilities")
    propagation.propagate_all(drv, DATABASE, workers=workers)
    _drop_unreached_notifications(drv)
    done.stages["propagate"] = time.monotonic() - t
    done.elapsed = time.monotonic() - started
    return done
