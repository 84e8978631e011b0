"""Checks: POST /v1/checks and POST /v1/checks/batch (issue 3 item 6, issue 4 item 5).

Both answer with `graph_service.credit.check_batch` (one statement per chunk of a batch; single
checks arriving together on a worker share one, see `CheckReader`), the same `credit.decide` per
key and the same validation and scoping here, so a key's answer is the one the single check gives
(status included: 403, 404, 422 come per key). Every answered check is stored as a (:Check) by the
check log, which journals it to local disk before the answer leaves (docs/api.md, "Durability of
a check").
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import Response

from graph_service import credit
from graph_service.api.deps import Caller, get_graph, get_settings, require_role
from graph_service.api.errors import ApiError, ErrorDetail, responses
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.checks import BatchRequest, BatchResponse, CheckRequest, CheckResult
from graph_service.api.present import json_response
from graph_service.api.privacy import mask_person_id
from graph_service.checks.log import CheckLog, check_log_of
from graph_service.checks.reader import CheckReader
from graph_service.domain.catalogue import catalogue
from graph_service.domain.vocabulary import KEY_ROLES
from graph_service.errors import ServiceError
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings
from graph_service.subjects import clean_id, diagnose_unknown, regions_of

router = APIRouter(prefix="/v1/checks", tags=["checks"], route_class=JsonRoute)

def _of_worker(request: Request, name: str, make: Callable[[Graph, ServiceSettings], Any]) -> Any:
    """app.state.<name>, made on first use (the graph exists once the lifespan has run)."""
    state = request.app.state
    if getattr(state, name, None) is None:
        setattr(state, name, make(state.graph, state.settings))
    return getattr(state, name)


async def get_check_log(request: Request) -> CheckLog:
    return _of_worker(request, "check_log", check_log_of)


async def get_check_reader(request: Request) -> CheckReader:
    return _of_worker(request, "check_reader",
                      lambda g, s: CheckReader(g, s.single_check_statements, s.single_check_batch))


def _mask(items: list[str] | None) -> list[str] | None:
    if items is None:
        return None
    return [f"person:{mask_person_id(x[7:])}" if x.startswith("person:") else x for x in items]


def _public_view(result: dict[str, Any]) -> dict[str, Any]:
    for key in ("basis", "suspended"):
        for b in result.get(key) or []:
            b["path"] = _mask(b.get("path"))
            b["lost_path"] = _mask(b.get("lost_path"))
    return result


def _validated(req: CheckRequest, prefix: str) -> tuple[str, dt.date]:
    """The cleaned subject id and the day of a check; ApiError (422) for a bad id or an unknown action."""
    value = clean_id(req.subject_id, prefix + "subject_id")
    if req.action not in catalogue().actions:
        raise ApiError(422, "unknown_action", f"{prefix}action: unknown action {req.action!r}; see GET /v1/actions",
                       prefix + "action")
    return value, req.as_of or dt.date.today()


def _scoped(caller: Caller, value: str, result: dict[str, Any] | Exception,
            regions: dict[tuple[str, str], list[str]] | None, prefix: str) -> dict[str, Any]:
    """The answer of `credit.check` (or the exception it raised) as the caller may see it; ApiError
    for an unknown subject (404, or 422 for a malformed id). A subject the key may not read (a
    person for a public key, a subject outside the key's region) gets the very answer of an
    unknown one: a 403 would tell that the id exists (issue 15 item 5)."""
    if isinstance(result, credit.UnknownSubject):
        raise diagnose_unknown(value, None, prefix + "subject_id")
    if isinstance(result, Exception):
        raise result
    kind = result["subject_kind"]
    if not caller.may_read(kind, (regions or {}).get((value, kind), []) if caller.region_code else ()):
        raise diagnose_unknown(value, None, prefix + "subject_id")
    return result if caller.sees_persons else _public_view(result)


async def answer(graph: Graph, reader: CheckReader, caller: Caller, req: CheckRequest) -> dict[str, Any]:
    """One check as the single endpoint answers it; ApiError for what it would answer with an error.
    The check is read with the other checks of this worker waiting at the time (`CheckReader`)."""
    value, as_of = _validated(req, "")
    regions = None if caller.region_code is None else await graph.read_auto(_regions, caller, [value])
    return _scoped(caller, value, await reader.check(value, req.action, as_of), regions, "")


async def answer_many(tx: Any, caller: Caller, reqs: dict[str, CheckRequest]) -> dict[str, tuple[int, Any]]:
    """The checks of a batch chunk (key -> request) as `answer` would answer each, read with one
    statement (`credit.check_batch`): key -> (200, result) or (status, ErrorDetail)."""
    done: dict[str, tuple[int, Any]] = {}
    todo: list[tuple[str, str, dt.date]] = []
    for k, req in reqs.items():
        try:
            value, as_of = _validated(req, f"queries.{k}.")
        except ServiceError as exc:
            done[k] = (exc.status, ErrorDetail(code=exc.code, message=exc.message, field=exc.field))
            continue
        todo.append((k, value, as_of))
    regions = await _regions(tx, caller, list(dict.fromkeys(v for _, v, _ in todo)))
    results = await credit.check_batch(tx, [(value, reqs[k].action, as_of) for k, value, as_of in todo])
    for (k, value, _), result in zip(todo, results):
        try:
            done[k] = (200, _scoped(caller, value, result, regions, f"queries.{k}."))
        except ServiceError as exc:
            done[k] = (exc.status, ErrorDetail(code=exc.code, message=exc.message, field=exc.field))
    return done


async def _regions(tx: Any, caller: Caller, ids: list[str]) -> dict[tuple[str, str], list[str]] | None:
    return None if caller.region_code is None else await regions_of(tx, ids)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _stored(caller: Caller, result: dict[str, Any], batch_id: str | None, at: str) -> dict[str, Any]:
    # Dates as ISO strings, which checks/store turns into Neo4j's: the driver's packing of a Python
    # datetime costs more than the rest of a clear check.
    return {"check_id": result["check_id"], "key_id": caller.key_id, "role": caller.role,
            "at": at, "subject_id": result["subject_id"],
            "subject_kind": result["subject_kind"], "action": result["action"],
            "as_of": result["as_of"].isoformat(), "decision": result["decision"],
            "record_ids": sorted({b["record_id"] for b in result["basis"]}), "batch_id": batch_id}


@router.post(
    "",
    response_model=CheckResult,
    response_model_exclude_none=True,
    summary="Check a subject before a decision (应查必查)",
    description=(
        "Is `action` restricted, favoured or clear for the subject on `as_of`? `restricted` when a measure in force "
        "restricts it, else `favoured` when an incentive favours it, else `clear`. Each `basis` entry names the "
        "liability behind it: record, rule, role and its dates, path, legal basis, window. Measures of a record under "
        "objection are suspended (`suspended`). Demo: 王海涛 (E03's legal representative, a court-listed debtor) "
        "`flight` → restricted; 汝城县天一茶业 `green_channel` → favoured.\n\n"
        "Every check is stored (`check_id`, who, when, subject, action, decision) for feedback and statistics.\n\n"
        "Roles: every role; `public` checks enterprises only, person ids in paths masked; region-scoped keys check "
        "subjects registered in their region."
    ),
    responses=responses(401, 403, 404, 422, 503, 504),
)
async def post_check(
    req: CheckRequest = Body(openapi_examples={
        "flight of a court debtor's legal representative (demo)": {
            "value": {"subject_id": "432821198606181955", "action": "flight"}},
        "green channel of a red-listed enterprise (demo)": {
            "value": {"subject_id": "91431026MA4N1T2G3A", "action": "green_channel", "as_of": "2026-11-26"}},
        "bad check character": {"summary": "422 naming the expected character",
                                "value": {"subject_id": "91431026MA4N1T2G3B", "action": "flight"}}}),
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
    check_log: CheckLog = Depends(get_check_log),
    reader: CheckReader = Depends(get_check_reader),
) -> Response:
    result = await answer(graph, reader, caller, req)
    result["check_id"] = str(uuid.uuid4())
    await check_log.add([_stored(caller, result, None, _now())])
    return json_response(CheckResult(**result), exclude_none=True)


@router.post(
    "/batch",
    response_model=BatchResponse,
    response_model_exclude_none=True,
    summary="Check up to 1,000 subjects at once",
    description=(
        "Up to `CREDIT_GRAPH_BATCH_MAX_ITEMS` (1,000) checks keyed by the caller's own ids (as yente's match API). "
        "Each key gets what `POST /v1/checks` would answer for it: `status` 200 with the `result`, or the `status` "
        "and `error` (an unknown subject is a 404 for that key, not for the batch). The batch runs in chunks of "
        "`CREDIT_GRAPH_BATCH_CHUNK` checks, each in one read transaction, `CREDIT_GRAPH_BATCH_PARALLELISM` at a time. "
        "Every answered check is stored with the `batch_id`."
    ),
    responses=responses(401, 403, 422, 503, 504),
)
async def post_batch(
    req: BatchRequest,
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
    check_log: CheckLog = Depends(get_check_log),
) -> Response:
    n = len(req.queries)
    if n == 0 or n > settings.batch_max_items:
        raise ApiError(422, "invalid_request", f"queries: between 1 and {settings.batch_max_items} checks, got {n}",
                       "queries")
    batch_id = str(uuid.uuid4())
    keys = list(req.queries)
    chunks = [keys[i:i + settings.batch_chunk] for i in range(0, n, settings.batch_chunk)]
    gate = asyncio.Semaphore(settings.batch_parallelism)
    stored: list[dict[str, Any]] = []

    async def work(tx, chunk):
        return await answer_many(tx, caller, {k: req.queries[k] for k in chunk})

    async def run(chunk):
        async with gate:
            return await graph.read_tx(work, chunk)

    at = _now()
    out: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    for done in await asyncio.gather(*(run(c) for c in chunks)):
        for k, (status, value) in done.items():
            if status == 200:
                value["check_id"] = str(uuid.uuid4())
                stored.append(_stored(caller, value, batch_id, at))
                out[k] = {"status": 200, "result": value}
                label = value["decision"]
            else:
                out[k] = {"status": status, "error": value}
                label = "error"
            counts[label] = counts.get(label, 0) + 1
    await check_log.add(stored)
    # One validation of the whole answer (pydantic-core), not a model per key.
    return json_response(BatchResponse.model_validate(
        {"batch_id": batch_id, "responses": {k: out[k] for k in keys}, "counts": counts}), exclude_none=True)
