"""The one way a statement of cypher/ runs: by name, with its parameters, in a transaction the
caller holds, on the sync driver (loader, CLI) or the async one (API).

A *plan* is a generator that yields `Step`s and receives each step's rows, so that code which
reads, decides in Python and writes in one transaction is written once for both drivers
(propagation, the record workflow). `run` and `run_async` drive a plan.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, NamedTuple, TypeVar

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
