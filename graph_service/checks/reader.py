"""Single checks of one worker read together (POST /v1/checks).

A single check alone is one statement; at a thousand checks a second, each statement's round trip,
driver work and per-query cost in Neo4j are what the CPU goes to, not the check itself. The reader
lets at most `statements` reads run at once: a check arriving while they are all busy waits for
the next one, which answers every check waiting by then (up to `max_batch`) with
`credit.check_batch`, the set-based statement whose answer per check is the single check's. An
idle service thus sends each check at once, and a busy one sends fewer, larger statements instead
of queueing single ones.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from graph_service import credit
from graph_service.runner import Graph

Check = tuple[str, str, dt.date]  # subject_id, action, as_of


class CheckReader:
    def __init__(self, graph: Graph, statements: int, max_batch: int):
        self.graph, self.statements, self.max_batch = graph, max(1, statements), max(1, max_batch)
        self._waiting: list[tuple[Check, asyncio.Future]] = []
        self._running: set[asyncio.Task] = set()
        self._scheduled = False
        self.reads = 0  # statements sent, for the tests

    async def check(self, subject_id: str, action: str, as_of: dt.date) -> dict[str, Any] | Exception:
        """What `credit.check_batch` answers for this check: the answer, or the UnknownSubject or
        UnknownAction it stands for; a Neo4j error of the statement is raised."""
        fut = asyncio.get_running_loop().create_future()
        self._waiting.append(((subject_id, action, as_of), fut))
        self._schedule()
        return await fut

    def _schedule(self) -> None:
        # On the next turn of the loop, so that checks arriving in the same turn go together.
        if not self._scheduled and self._waiting and len(self._running) < self.statements:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._start)

    def _start(self) -> None:
        self._scheduled = False
        while self._waiting and len(self._running) < self.statements:
            batch = self._waiting[:self.max_batch]
            del self._waiting[:len(batch)]
            task = asyncio.create_task(self._read(batch))
            self._running.add(task)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task) -> None:
        self._running.discard(task)
        self._schedule()

    async def _read(self, batch: list[tuple[Check, asyncio.Future]]) -> None:
        batch = [(c, f) for c, f in batch if not f.done()]  # callers gone meanwhile
        if not batch:
            return
        self.reads += 1
        try:
            results = await self.graph.read_auto(credit.check_batch, [c for c, _ in batch], True)
        except Exception as exc:  # each waiting request answers it (503, 504...)
            for _, f in batch:
                if not f.done():
                    f.set_exception(exc)
            return
        except asyncio.CancelledError:  # shutting down: so are the requests waiting
            for _, f in batch:
                f.cancel()
            raise
        for (_, f), result in zip(batch, results):
            if not f.done():
                f.set_result(result)
