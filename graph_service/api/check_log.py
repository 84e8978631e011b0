"""The write-behind log of answered checks (:Check nodes, docs/model.md).

A check answers from a read transaction; writing its Check node in the same request would add a
write transaction, with its commit, to every check, which is what caps screening throughput. The
log instead collects the answered checks and writes them in one statement per batch at most
`flush_s` later (and at shutdown). A write that fails (Neo4j away) is retried at the next flush.
At most `max_pending` checks wait: a request that would add more waits until the log has stored
enough (back pressure), so answering never outruns storing and no answered check is dropped; if
the log cannot store for `wait_s` (Neo4j away), the request fails with 503 instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from graph_service.api.deps import Graph

log = logging.getLogger(__name__)


class CheckLogFull(RuntimeError):
    """The log could not store checks for a while: the caller answers 503."""


class CheckLog:
    def __init__(self, graph: Graph, flush_s: float, batch: int, max_pending: int = 20_000,
                 wait_s: float = 30.0):
        self.graph, self.flush_s, self.batch, self.max_pending = graph, flush_s, batch, max_pending
        self.wait_s = wait_s
        self._pending: list[dict[str, Any]] = []
        self._task: asyncio.Task | None = None
        self._lock = asyncio.Lock()
        self._room = asyncio.Event()
        self._room.set()
        self.waited = 0  # requests that had to wait for room, for the tests

    def _start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    async def add(self, checks: list[dict[str, Any]]) -> None:
        """Queues answered checks; waits while the log holds max_pending (CheckLogFull after wait_s)."""
        if self._pending and len(self._pending) + len(checks) > self.max_pending:
            self.waited += 1
            self._start()
            try:
                async with asyncio.timeout(self.wait_s):
                    while self._pending and len(self._pending) + len(checks) > self.max_pending:
                        self._room.clear()
                        await self._room.wait()
            except TimeoutError:
                raise CheckLogFull(f"{len(self._pending)} answered checks are waiting to be stored") from None
        self._pending.extend(checks)
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
            while self._pending:
                chunk = self._pending[:self.batch]
                await self.graph.write("checks/store", checks=chunk)
                del self._pending[:len(chunk)]
                written += len(chunk)
                self._room.set()
        return written

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(Exception):
            await self.flush()
        if self._pending:
            log.error("%d checks could not be stored at shutdown", len(self._pending))
