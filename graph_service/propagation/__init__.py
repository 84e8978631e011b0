"""Liability propagation (issue 3; docs/propagation.md).

`on_change` recomputes, inside the caller's transaction, the liabilities and region reach a change
touches; `propagate_all` recomputes everything with the same statements and gives the same graph.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

import neo4j

from graph_service import runner
from graph_service.domain.catalogue import catalogue
from graph_service.propagation import steps
from graph_service.propagation.steps import ReleaseRefused, Summary
from graph_service.settings import neo4j_settings

__all__ = ["ReleaseRefused", "Summary", "on_change", "on_change_async", "on_change_plan", "propagate_all",
           "release"]


def on_change_plan(*, record_ids: Iterable[str] = (), usccs: Iterable[str] = (),
                   person_ids: Iterable[str] = ()) -> steps.Plan:
    """The plan recomputing the derived liabilities touched by a change, for a plan that writes
    the change and propagates it in one transaction (`yield from`: the facts writer, the workflow).

    The change: records added, changed or ended (`record_ids`); enterprises whose roles or
    holdings changed (`usccs`, both ends of a holding); persons whose roles or holdings changed
    (`person_ids`).
    """
    return steps.on_change(steps.params_for(), record_ids, usccs, person_ids)


def on_change(tx, *, record_ids: Iterable[str] = (), usccs: Iterable[str] = (),
              person_ids: Iterable[str] = ()) -> Summary:
    """`on_change_plan` run inside the caller's sync transaction."""
    return runner.run(tx, on_change_plan(record_ids=record_ids, usccs=usccs, person_ids=person_ids))


async def on_change_async(tx, *, record_ids: Iterable[str] = (), usccs: Iterable[str] = (),
                          person_ids: Iterable[str] = ()) -> Summary:
    """`on_change` for an async transaction (neo4j AsyncManagedTransaction / AsyncTransaction)."""
    return await runner.run_async(tx, on_change_plan(record_ids=record_ids, usccs=usccs, person_ids=person_ids))


def release(tx, person_id: str, record_id: str, on, reason: str, by: str) -> Summary:
    """Release a holder (e.g. a legal representative changed for genuine business reasons) from the
    record's releasable liabilities from `on`, with the reason and who decided; recomputes the
    record in the same transaction. Raises ReleaseRefused with the reason when the person is named
    responsible in the record, is the actual controller of its subject on `on`, or is not bound."""
    return runner.run(tx, steps.release(steps.params_for(), catalogue(), person_id, record_id, on, reason, by))


Progress = Callable[[str, int, int], None]


def _batches(ids: list[str], size: int):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


DEADLOCK_RETRIES = 20
_DEADLOCK = "Neo.TransientError.Transaction.DeadlockDetected"


def _write_batch(session, work):
    """One batch in one write transaction. A deadlock between two batches (both linking to the same
    dense node) is retried at once, after a few milliseconds: the other batch holds the lock for
    one commit, while the driver's own retry waits a second, then two, four... Other transient
    errors go the driver's way (execute_write)."""
    for attempt in range(DEADLOCK_RETRIES):
        try:
            with session.begin_transaction() as tx:
                result = work(tx)
                tx.commit()
                return result
        except neo4j.exceptions.TransientError as exc:
            if exc.code != _DEADLOCK or attempt + 1 == DEADLOCK_RETRIES:
                break
            time.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
    return session.execute_write(work)


def propagate_all(driver: neo4j.Driver, database: str | None = None, batch_size: int = 2000,
                  progress: Progress | None = None, workers: int = 2) -> Summary:
    """Delete every liability and region reach, then recompute them record batch by record batch:
    first black and penalty records, then red ones (their incentives depend on black liabilities), then region
    reach (which replaces each record's REACHES_REGION). Each batch is its own transaction.

    ``workers``: batches of one stage run in that many threads at once (records of different
    batches derive disjoint liabilities and notifications; the nodes they share, persons and
    regions, are only linked to, never unlinked, and a deadlock is retried at once: _write_batch).
    On two cores two workers keep Neo4j busy while the other waits on the network.
    """
    db = database or neo4j_settings().database
    rp = steps.params_for()
    report = progress or (lambda stage, done, total: None)

    with driver.session(database=db) as session:
        for clear in ("propagation/clear_all_liabilities", "propagation/clear_all_reach"):
            while session.execute_write(runner.rows, clear, convert=False, batch=batch_size * 5)[0]["deleted"]:
                pass
        rows = session.execute_read(runner.rows, "propagation/all_records", convert=False)
    red = [r["record_id"] for r in rows if r["kind"] == "red"]
    other = [r["record_id"] for r in rows if r["kind"] != "red"]
    summary = Summary(records=other, red_records=red)
    lock = threading.Lock()

    def stage(name: str, ids: list[str], plan_of) -> None:
        done = 0
        report(name, 0, len(ids))

        def one(batch: list[str]) -> None:
            nonlocal done
            with driver.session(database=db) as s:
                result = _write_batch(s, lambda tx: runner.run(tx, plan_of(batch)))
            with lock:
                summary.liabilities += result.liabilities
                done += len(batch)
                report(name, done, len(ids))

        with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="propagate") as pool:
            for future in [pool.submit(one, b) for b in _batches(ids, batch_size)]:
                future.result()

    stage("liabilities", other, lambda b: steps.compute(rp, b))
    if rp.red:
        stage("red", red, lambda b: steps.compute_red(rp, b))
    stage("reach", other + red, lambda b: steps.reach(rp, b))
    return summary
