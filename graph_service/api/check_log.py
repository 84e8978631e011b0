"""The write-behind log of answered checks (:Check nodes, docs/model.md).

A check answers from a read transaction; writing its Check node in the same request would add a
write transaction, with its commit, to every check, which is what caps screening throughput. The
log instead collects the answered checks and writes them in one statement per batch at most
`flush_s` later (and at shutdown). A write that fails (Neo4j away) is retried at the next flush;
at most `max_pending` checks wait, the oldest dropped with an error in the log beyond that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from graph_service.api.deps import Graph

log = logging.getLogger(__name__)


class CheckLog:
    def __init__(self, graph: Graph, flush_s: float, batch: int, max_pending: int = 200_000):
        self.graph, self.flush_s, self.batch, self.max_pending = graph, flush_s, batch, max_pending
        self._pending: list[dict[str, Any]] = []
        self._task: asyncio.Task | None = None
        self._lock = asyncio.Lock()

    def add(self, checks: list[dict[str, Any]]) -> None:
        self._pending.extend(checks)
        if len(self._pending) > self.max_pending:
            dropped = len(self._pending) - self.max_pending
            del self._pending[:dropped]
            log.error("check log full: %d checks dropped unstored", dropped)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

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
