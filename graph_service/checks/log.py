"""The write-behind log of answered checks (:Check nodes, docs/model.md).

A check answers from a read transaction; writing its Check node in the same request would add a
write transaction, with its commit, to every check, which is what caps screening throughput. The
log instead collects the answered checks and writes them in one statement per batch at most
`flush_s` later (and at shutdown). A write that fails (Neo4j away) is retried at the next flush.
At most `max_pending` checks wait: a request that would add more waits until the log has stored
enough (back pressure), so answering never outruns storing and no answered check is dropped; if
the log cannot store for `wait_s` (Neo4j away), the request fails with 503 instead.

With a journal (`checks.journal.CheckJournal`, CREDIT_GRAPH_CHECK_DURABILITY=journal, the
default), `add` returns once the checks are fsynced to the worker's journal, before they are
queued: a crash of the worker then loses no answered check (the next start replays the journal).
Without one (`memory`), the checks answered within `flush_s` of a crash are lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from graph_service.checks.journal import CheckJournal, Segment
from graph_service.errors import ServiceError
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

log = logging.getLogger(__name__)


class CheckLogFull(ServiceError, RuntimeError):
    """The log could not store checks for a while: the caller answers 503."""

    status, code, headers = 503, "check_log_full", {"Retry-After": "5"}


class CheckLog:
    def __init__(self, graph: Graph, flush_s: float, batch: int, max_pending: int = 20_000,
                 wait_s: float = 30.0, journal: CheckJournal | None = None):
        self.graph, self.flush_s, self.batch, self.max_pending = graph, flush_s, batch, max_pending
        self.wait_s, self.journal = wait_s, journal
        self._pending: list[dict[str, Any]] = []
        self._segments: list[Segment | None] = []  # the journal segment of each pending check
        self._task: asyncio.Task | None = None
        self._lock = asyncio.Lock()
        self._room = asyncio.Event()
        self._room.set()
        self.waited = 0  # requests that had to wait for room, for the tests
        self.replayed = journal is None  # the journals of workers gone are stored (app.py; /readyz)
        self._replay_lock = asyncio.Lock()

    def _start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    async def add(self, checks: list[dict[str, Any]]) -> None:
        """Queues answered checks, journalled first if the log has a journal; waits while the log
        holds max_pending (CheckLogFull after wait_s)."""
        if not checks:
            return
        if self._pending and len(self._pending) + len(checks) > self.max_pending:
            self.waited += 1
            self._start()
            try:
                async with asyncio.timeout(self.wait_s):
                    while self._pending and len(self._pending) + len(checks) > self.max_pending:
                        self._room.clear()
                        await self._room.wait()
            except TimeoutError:
                raise CheckLogFull(f"answered checks cannot be stored now ({len(self._pending)} answered checks are "
                                   "waiting to be stored); retry later") from None
        seg = await self.journal.append(checks) if self.journal is not None else None
        self._pending.extend(checks)
        self._segments.extend([seg] * len(checks))
        self._start()

    async def _run(self) -> None:
        while self._pending:
            await asyncio.sleep(self.flush_s)
            try:
                await self.flush()
            except Exception as exc:  # Neo4j away: keep them for the next round
                log.warning("checks not stored yet (%s); retrying", exc)

    async def flush(self) -> int:
        """Write every pending check now; the number written."""
        written = 0
        async with self._lock:
            if self.journal is not None:
                self.journal.seal()  # checks answered from now on go to the next segment
            while self._pending:
                chunk = self._pending[:self.batch]
                await self.graph.write("checks/store", checks=chunk)
                segments = self._segments[:len(chunk)]
                del self._pending[:len(chunk)], self._segments[:len(chunk)]
                written += len(chunk)
                self._forget(segments)
                self._room.set()
        return written

    def _forget(self, segments: list[Segment | None]) -> None:
        """Tells the journal these checks are stored (it deletes a sealed segment once all are)."""
        if self.journal is None:
            return
        counts: dict[int, tuple[Segment, int]] = {}
        for seg in segments:
            if seg is not None:
                counts[id(seg)] = (seg, counts.get(id(seg), (seg, 0))[1] + 1)
        for seg, n in counts.values():
            self.journal.stored(seg, n)

    async def replay(self) -> int:
        """Stores the checks that workers gone before storing them left in the journal, once per
        worker (the start-up task and /readyz both ask); the number replayed."""
        async with self._replay_lock:
            if self.replayed:
                return 0
            n = await self.journal.replay(lambda chunk: self.graph.write("checks/store", checks=chunk), self.batch)
            self.replayed = True
            return n

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(Exception):
            await self.flush()
        if self._pending:
            where = "kept in the journal for the next start" if self.journal is not None else "lost"
            log.error("%d checks could not be stored at shutdown (%s)", len(self._pending), where)
        if self.journal is not None:
            self.journal.close()


def check_log_of(graph: Graph, s: ServiceSettings) -> CheckLog:
    """A worker's check log as the settings say (journalled unless check_durability is memory)."""
    journal = CheckJournal(s.check_journal_dir) if s.check_durability == "journal" else None
    return CheckLog(graph, s.check_log_flush_s, s.check_log_batch, s.check_log_max_pending, s.check_log_wait_s,
                    journal=journal)
