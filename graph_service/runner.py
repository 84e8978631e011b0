"""The one way a statement of cypher/ runs: by name, with its parameters, in a transaction the
caller holds, on the sync driver (loader, CLI) or the async one (API).

A *plan* is a generator that yields `Step`s and receives each step's rows, so that code which
reads, decides in Python and writes in one transaction is written once for both drivers
(propagation, the facts writer, the record workflow). `run` and `run_async` drive a plan in a
transaction; `write`/`read` (sync driver) and `Graph.write_plan`/`Graph.read_plan` (the API's
async one) open the transaction for it. The driver retries a transaction on transient errors, so
those take a plan *factory* and start the plan afresh on each attempt.

Rows: with `convert` (the default) Neo4j's temporal values come back as datetime ones; without,
the rows are plain dicts of what the driver gives (for callers that only count, pass ids or
compare dates: converting costs more than the rows). `packed` reads the one row of a statement
answering `rows` (a list of maps) and gives that list (network levels, batch checks).
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
    """A statement of cypher/, its parameters, and whether the rows it returns to the plan come
    converted (`rows`)."""

    name: str
    params: dict[str, Any]
    convert: bool = True


class Log(NamedTuple):
    """Change-log entries (graph_service.changelog) a plan adds to its transaction's change set.
    `run`/`run_async` keep them (the plan receives no rows) and append them all, once, as the
    plan's last statement: docs/changes.md."""

    entries: list[dict[str, Any]]


APPEND = "changes/append"

Plan = Generator[Step | Log, list[dict[str, Any]], T]


def _params(params: dict[str, Any] | None, named: dict[str, Any]) -> dict[str, Any]:
    if params is None:
        return named
    return {**params, **named} if named else params


def _packed(record: neo4j.Record | None, convert: bool) -> list[dict[str, Any]]:
    if record is None:
        return []
    return native(record["rows"]) if convert else record["rows"]


def rows(tx: Any, name: str, params: dict[str, Any] | None = None, /, *, convert: bool = True,
         packed: bool = False, **named: Any) -> list[dict[str, Any]]:
    """The rows of statement `name` run in `tx` with `params` and/or the keyword parameters."""
    result = tx.run(query(name), _params(params, named))
    if packed:
        return _packed(result.single(), convert)
    if convert:
        return [native(r.data()) for r in result]
    return [dict(r) for r in result]


async def rows_async(tx: Any, name: str, params: dict[str, Any] | None = None, /, *, convert: bool = True,
                     packed: bool = False, **named: Any) -> list[dict[str, Any]]:
    """`rows` in an async transaction (or `Graph.read_auto`'s stand-in for one)."""
    result = await tx.run(query(name), _params(params, named))
    if packed:
        return _packed(await result.single(), convert)
    if convert:
        return [native(r.data()) async for r in result]
    return [dict(r) async for r in result]


async def single_async(tx: Any, name: str, params: dict[str, Any] | None = None, /, *, convert: bool = True,
                       **named: Any) -> dict[str, Any] | None:
    """The one row of a statement answering at most one, or None."""
    result = await tx.run(query(name), _params(params, named))
    record = await result.single()
    if record is None:
        return None
    return native(record.data()) if convert else dict(record)


def one(found: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first of a step's rows, or None (the answer of a statement reading at most one)."""
    return found[0] if found else None


def only(found: list[dict[str, Any]]) -> dict[str, Any]:
    """The row of a statement that always answers one (an aggregation, or a read of what the plan
    has just written or checked)."""
    return found[0]


def run(tx: Any, plan: Plan[T]) -> T:
    """Drive `plan` in the sync transaction `tx`: each step's statement runs, its rows go back;
    the change-log entries it logs are appended last, in the same transaction."""
    log: list[dict[str, Any]] = []
    try:
        step = next(plan)
        while True:
            if isinstance(step, Log):
                log.extend(step.entries)
                step = plan.send([])
            else:
                step = plan.send(rows(tx, step.name, step.params, convert=step.convert))
    except StopIteration as done:
        if log:
            rows(tx, APPEND, {"entries": log}, convert=False)
        return done.value


async def run_async(tx: Any, plan: Plan[T]) -> T:
    log: list[dict[str, Any]] = []
    try:
        step = next(plan)
        while True:
            if isinstance(step, Log):
                log.extend(step.entries)
                step = plan.send([])
            else:
                step = plan.send(await rows_async(tx, step.name, step.params, convert=step.convert))
    except StopIteration as done:
        if log:
            await rows_async(tx, APPEND, {"entries": log}, convert=False)
        return done.value


def write(driver: neo4j.Driver, make_plan: Callable[[], Plan[T]], database: str | None = None) -> T:
    """The plan `make_plan()` in one write transaction of the sync driver."""
    with driver.session(database=database) as s:
        return s.execute_write(lambda tx: run(tx, make_plan()))


def read(driver: neo4j.Driver, make_plan: Callable[[], Plan[T]], database: str | None = None) -> T:
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as s:
        return s.execute_read(lambda tx: run(tx, make_plan()))


# --- the API's handle on the async driver ------------------------------------------------

async def _plan(tx: Any, make_plan: Callable[[], Plan[T]]) -> T:
    return await run_async(tx, make_plan())


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
        return await self.read_tx(rows_async, name, params)

    async def read_one(self, name: str, **params: Any) -> dict | None:
        return one(await self.read(name, **params))

    async def write(self, name: str, **params: Any) -> list[dict]:
        return await self.write_tx(rows_async, name, params)

    async def read_plan(self, make_plan: Callable[[], Plan[T]]) -> T:
        """The plan `make_plan()` in one read transaction with the read timeout."""
        return await self.read_tx(_plan, make_plan)

    async def write_plan(self, make_plan: Callable[[], Plan[T]], retry_s: float | None = None) -> T:
        """The plan `make_plan()` in one write transaction, without the read timeout (a write
        recomputes propagation and must not be cut short). `retry_s`: how long transient errors
        (deadlocks between departments writing one record) are retried, instead of the driver's."""
        if retry_s is None:
            session = self.driver.session(database=self.database)
        else:
            session = self.driver.session(database=self.database, max_transaction_retry_time=retry_s)
        async with session as s:
            return await s.execute_write(_plan, make_plan)

    async def read_tx(self, work: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """`await work(tx, *args, **kwargs)` in one read transaction (several statements, one
        snapshot) with the read timeout; `rows_async(tx, name, ...)` runs a statement in it. `work`
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
