"""Checks: POST /v1/checks and POST /v1/checks/batch (issue 3 item 6, issue 4 item 5).

Both answer through `graph_service.checks.answers` (the same validation, decision and scoping per
key) and mask persons for the public role here. Every answered check is stored as a (:Check) by
the check log, which journals it to local disk before the answer leaves (docs/api.md, "Durability
of a check").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Body, Depends, Path, Request
from fastapi.responses import Response

from graph_service.api.deps import Caller, get_graph, get_settings, require_role
from graph_service.api.errors import ApiError, ErrorBody, responses
from graph_service.api.inputs import MAX_ID
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.checks import BatchRequest, BatchResponse, CheckRequest, CheckResult, StoredCheck
from graph_service.api.present import json_response
from graph_service.api.privacy import mask_path
from graph_service.checks import answers, replay
from graph_service.checks.log import CheckLog, check_log_of
from graph_service.checks.reader import CheckReader
from graph_service.domain.vocabulary import KEY_ROLES
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

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


def _presented(caller: Caller, result: dict[str, Any]) -> dict[str, Any]:
    """The answer as the caller sees it: person ids in paths masked for the public role."""
    if caller.sees_persons:
        return result
    for key in ("basis", "suspended"):
        for b in result.get(key) or []:
            b["path"] = mask_path(b.get("path"))
            b["lost_path"] = mask_path(b.get("lost_path"))
    return result


def _query(req: CheckRequest) -> answers.Query:
    return answers.Query(req.subject_id, req.action, req.as_of, req.known_at)


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
    result = _presented(caller, await answers.answer(graph, reader, caller, _query(req)))
    result["check_id"] = str(uuid.uuid4())
    await check_log.add([answers.stored(caller, result, None, answers.now())])
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
    done = await answers.answer_batch(graph, caller, {k: _query(q) for k, q in req.queries.items()},
                                      settings.batch_chunk, settings.batch_parallelism)
    at = answers.now()
    stored: list[dict[str, Any]] = []
    out: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    for k in keys:
        status, value = done[k]
        if status == 200:
            value = _presented(caller, value)
            value["check_id"] = str(uuid.uuid4())
            stored.append(answers.stored(caller, value, batch_id, at))
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


@router.get(
    "/{check_id}",
    response_model=StoredCheck,
    summary="A stored check and its replay",
    description=(
        "The answer a check gave as it was stored (`stored`), and the answer rebuilt from the change log at the "
        "change-log number it was answered at (`replay`, presented alike: persons masked if a public key asked); "
        "`identical` says they are the same, byte for byte (docs/changes.md, \"known_at\").\n\n"
        "Roles: an admin key reads any stored check, a key its own, a region-scoped key those about subjects of its "
        "region; any other is a 404, as an unknown id. 409 for a check stored before checks kept their answer."
    ),
    responses={**responses(401, 404, 503, 504), 409: {
        "model": ErrorBody, "description": "A check stored before checks kept their answer: it cannot be replayed",
        "content": {"application/json": {"example": {"error": {
            "code": "not_replayable", "message": "check 5b2c… was stored before checks kept their answer and "
                                                 "change-log number; it cannot be replayed", "field": "check_id"}}}}}},
)
async def get_check(
    check_id: str = Path(max_length=MAX_ID, description="`check_id` of an answer of POST /v1/checks or /batch"),
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
) -> Response:
    out = await replay.stored_and_replay(graph, caller, check_id)
    stored_text = out.pop("stored_text")
    if "error" not in out["replay"]:
        # Masked as the answer was for the key that asked (masking is deterministic).
        out["replay"] = _presented(Caller(None, out["role"]), out["replay"])
    out["identical"] = answers.answer_json(out["replay"]) == stored_text
    return json_response(StoredCheck(**out))
