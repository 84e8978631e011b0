"""The one way a statement of cypher/ runs: by name, with its parameters, in a transaction the
caller holds, on the sync driver (loader, CLI) or the async one (API).

A *plan* is a generator that yields `Step`s and receives each step's rows, so that code which
reads, decides in Python and writes in one transaction is written once for both drivers
(propagation, the record workflow). `run` and `run_async` drive a plan.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

import neo4j

from graph_service.cypher import query
from graph_service.db import native

T = TypeVar("T")


class Step(NamedTuple):
    """A statement of cypher/ and its parameters."""

    name: str
    params: dict[str, Any]


Plan = Generator[Step, list[dict[str, Any]], T]


def rows(tx: Any, name: str, params: dict[str, Any] | None = None, *, convert: bool = True) -> list[dict[str, Any]]:
    """The rows of statement `name`; `convert` turns Neo4j temporal values into datetime ones
    (left off where the caller only counts or passes ids: converting costs more than the rows)."""
    data = tx.run(query(name), params or {}).data()
    return [native(r) for r in data] if convert else data


async def rows_async(tx: Any, name: str, params: dict[str, Any] | None = None, *,
                     convert: bool = True) -> list[dict[str, Any]]:
    result = await tx.run(query(name), params or {})
    data = await result.data()
    return [native(r) for r in data] if convert else data


async def single_async(tx: Any, name: str, params: dict[str, Any] | None = None, *,
                       convert: bool = True) -> dict[str, Any] | None:
    """The one row of a statement answering at most one, or None."""
    result = await tx.run(query(name), params or {})
    record = await result.single()
    if record is None:
        return None
    return native(record.data()) if convert else record.data()


def run(tx: Any, plan: Plan[T], *, convert: bool = True) -> T:
    """Drive `plan` in the sync transaction `tx`: each step's statement runs, its rows go back."""
    try:
        step = next(plan)
        while True:
            step = plan.send(rows(tx, step[0], step[1], convert=convert))
    except StopIteration as done:
        return done.value


async def run_async(tx: Any, plan: Plan[T], *, convert: bool = True) -> T:
    try:
        step = next(plan)
        while True:
            step = plan.send(await rows_async(tx, step[0], step[1], convert=convert))
    except StopIteration as done:
        return done.value


# --- the API's handle on the async driver ------------------------------------------------

async def tx_rows(tx: neo4j.AsyncManagedTransaction, name: str, **params: Any) -> list[dict]:
    """Run the statement cypher/<name>.cypher inside a transaction of `Graph.read_tx`/`write_tx`."""
    result = await tx.run(query(name), params)
    return [native(rec.data()) async for rec in result]


async def _rows(tx: neo4j.AsyncManagedTransaction, name: str, params: dict) -> list[dict]:
    return await tx_rows(tx, name, **params)


@dataclass
class Graph:
    """The async driver with the database and the read timeout of the settings."""

    driver: neo4j.AsyncDriver
    database: str
    read_timeout_s: float
    schema_applied: bool = False
    schema_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def read(self, name: str, **params: Any) -> list[dict]:
        """The rows of one statement, in a read transaction with the read timeout."""
        return await self.read_tx(_rows, name, params)

    async def read_one(self, name: str, **params: Any) -> dict | None:
        rows = await self.read(name, **params)
        return rows[0] if rows else None

    async def write(self, name: str, **params: Any) -> list[dict]:
        return await self.write_tx(_rows, name, params)

    async def read_tx(self, work: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """`await work(tx, *args, **kwargs)` in one read transaction (several statements, one
        snapshot) with the read timeout; `tx_rows(tx, name, ...)` runs a statement in it. `work`
        may be retried on a transient error, so it only reads."""
        timed = neo4j.unit_of_work(timeout=self.read_timeout_s)(work)
        async with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as s:
            return await s.execute_read(timed, *args, **kwargs)

    async def write_tx(self, work: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """As `read_tx`, in a write transaction (retried by the driver on transient errors)."""
        timed = neo4j.unit_of_work(timeout=self.read_timeout_s)(work)
        async with self.driver.session(database=self.database) as s:
            return await s.execute_write(timed, *args, **kwargs)

    async def read_auto(self, work: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """`await work(tx, *args, **kwargs)` where each `tx.run` is its own auto-commit read with
        the read timeout: one round trip per statement instead of begin, run and commit. For the
        one-statement reads of the hot path (checks); not retried on transient errors (503)."""
        async with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as s:
            return await work(_AutoCommit(s, self.read_timeout_s), *args, **kwargs)


class _AutoCommit:
    """Stands for a transaction: `run` sends the statement as an auto-commit query with a timeout."""

    def __init__(self, session: neo4j.AsyncSession, timeout_s: float):
        self.session, self.timeout_s = session, timeout_s

    async def run(self, text: str, parameters: dict | None = None, **kwargs: Any) -> neo4j.AsyncResult:
        return await self.session.run(neo4j.Query(text, timeout=self.timeout_s), parameters, **kwargs)
