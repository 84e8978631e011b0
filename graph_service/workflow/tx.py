"""Running a workflow transaction on the sync driver (loader, CLI, tests) or the async one (API).

A workflow step reads, decides in Python, then writes, all in one transaction (the decision must
see what the lock protects). Written once as a *plan*: a generator that yields
``(statement name, parameters)`` and receives the rows, so the same code runs on both drivers.
The driver retries a plan on transient errors (deadlocks, leader switches), so a plan is given
as a factory and started afresh on each attempt. A plan may also yield a `TxCall` to hand the
transaction itself to code written for the sync driver (propagation's `on_change`); such a plan
runs on the sync driver only.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, TypeVar

import neo4j
import neo4j.time

from graph_service.cypher import query
from graph_service.db import native

T = TypeVar("T")


@dataclass(frozen=True)
class TxCall:
    """A step that calls `fn(tx)` on the sync transaction and receives its return value."""

    fn: Callable[[neo4j.ManagedTransaction], Any]


Step = tuple[str, dict[str, Any]] | TxCall
Plan = Generator[Step, Any, T]



def run(tx: neo4j.ManagedTransaction, plan: Plan[T]) -> T:
    try:
        step = next(plan)
        while True:
            if isinstance(step, TxCall):
                answer = step.fn(tx)
            else:
                name, params = step
                answer = [native(r.data()) for r in tx.run(query(name), params)]
            step = plan.send(answer)
    except StopIteration as done:
        return done.value


async def run_async(tx: neo4j.AsyncManagedTransaction, plan: Plan[T]) -> T:
    try:
        step = next(plan)
        while True:
            if isinstance(step, TxCall):
                raise TypeError("this plan calls sync-driver code (TxCall): run it with tx.write/tx.run")
            name, params = step
            result = await tx.run(query(name), params)
            rows = [native(r.data()) async for r in result]
            step = plan.send(rows)
    except StopIteration as done:
        return done.value


def write(driver: neo4j.Driver, make_plan: Callable[[], Plan[T]], database: str | None = None) -> T:
    with driver.session(database=database) as s:
        return s.execute_write(lambda tx: run(tx, make_plan()))


def read(driver: neo4j.Driver, make_plan: Callable[[], Plan[T]], database: str | None = None) -> T:
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as s:
        return s.execute_read(lambda tx: run(tx, make_plan()))


async def write_async(driver: neo4j.AsyncDriver, make_plan: Callable[[], Plan[T]],
                      database: str | None = None, timeout_s: float | None = None) -> T:
    async def work(tx):
        return await run_async(tx, make_plan())

    if timeout_s is not None:
        work = neo4j.unit_of_work(timeout=timeout_s)(work)
    async with driver.session(database=database) as s:
        return await s.execute_write(work)


async def read_async(driver: neo4j.AsyncDriver, make_plan: Callable[[], Plan[T]],
                     database: str | None = None, timeout_s: float | None = None) -> T:
    async def work(tx):
        return await run_async(tx, make_plan())

    if timeout_s is not None:
        work = neo4j.unit_of_work(timeout=timeout_s)(work)
    async with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as s:
        return await s.execute_read(work)


def one(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    return rows[0] if rows else None
