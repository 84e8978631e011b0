"""What the credit endpoints read and write, each in one transaction: a subject's credit with the
incentives it lost, a record with its context and reach, and an individual release."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from graph_service import credit
from graph_service import credit_explained as explained
from graph_service.access.caller import Caller
from graph_service.errors import not_found
from graph_service.runner import Graph, rows_async, run_async
from graph_service.subjects import outside_scope
from graph_service.workflow import store


async def _credit(tx: Any, kind: str, value: str, d: dt.date) -> tuple[dict[str, Any], list[str]]:
    [subject] = (await rows_async(tx, "subjects/lookup", id=value, kind=kind)) or [None]
    if subject is None:
        raise not_found(kind, "uscc" if kind == "enterprise" else "person_id", value)
    answer = await credit.credit_of(tx, kind, value, d)
    lost = [row["liability"] for row in await rows_async(tx, "credit/lost", subject_kind=kind, subject_id=value,
                                                      as_of=d)]
    return {**answer, "lost": lost}, subject["regions"] or []


async def subject_credit(graph: Graph, kind: str, value: str, d: dt.date) -> tuple[dict[str, Any], list[str]]:
    """The subject's credit answer (`credit.credit_of` with the incentives it lost, explained), and
    the subject's region codes."""
    raw, regions = await graph.read_tx(_credit, kind, value, d)
    return explained.credit_answer(raw), regions


async def _context(tx: Any, record_id: str) -> dict[str, Any]:
    rows = await rows_async(tx, "credit/record_context", record_id=record_id)
    if not rows:
        raise not_found("record", "record_id", record_id)
    return rows[0]


async def _reach(tx: Any, record_id: str, d: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    ctx = await _context(tx, record_id)
    return await credit.record_reach(tx, record_id, d), ctx


async def record_reach(graph: Graph, record_id: str, d: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    """The record's reach answer (`credit.record_reach`, explained) and its context
    (cypher/credit/record_context: the region codes that scope it)."""
    raw, ctx = await graph.read_tx(_reach, record_id, d)
    return explained.reach_answer(raw, ctx, d), ctx


async def outside_of(graph: Graph, caller: Caller, keys: Iterable[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    """`subjects.outside_scope` in a read of its own."""
    return await graph.read_tx(outside_scope, caller, keys)


async def _release_context(tx: Any, record_id: str, person_id: str) -> dict[str, Any]:
    ctx = await _context(tx, record_id)
    ctx["person_exists"] = bool(await rows_async(tx, "subjects/lookup", id=person_id, kind="person"))
    return ctx


async def release_context(graph: Graph, record_id: str, person_id: str) -> dict[str, Any]:
    """The record's context, and whether the person exists (`person_exists`)."""
    return await graph.read_tx(_release_context, record_id, person_id)


async def _do_release(tx: Any, record_id: str, person_id: str, on: dt.date, reason: str, by: str) -> dict[str, Any]:
    # The record's history says who released whom, from when and why. The record is locked first,
    # as every workflow action does; a refused release raises below and nothing is written.
    await run_async(tx, store.act(record_id, by, lambda state, record: store.Decision(
        [store.NewEvent("person_released", {"person_id": person_id, "on": on.isoformat()}, reason)])))
    await credit.release(tx, person_id, record_id, on, reason, by)
    raw = await credit.record_reach(tx, record_id, on)
    ctx = await _context(tx, record_id)
    return {"raw": raw, "ctx": ctx}


async def release(graph: Graph, record_id: str, person_id: str, on: dt.date, reason: str, by: str) -> dict[str, Any]:
    """Release the person from the record's releasable liabilities from `on` and recompute; the
    person's liabilities under the record afterwards. credit.ReleaseRefused (409) when the rules refuse."""
    done = await graph.write_tx(_do_release, record_id, person_id, on, reason, by)
    return explained.release_answer(record_id, person_id, done)
