"""Judgements of identity (issue 17 point 4): POST /v1/resolutions, GET /v1/resolutions[/{id}],
POST /v1/resolutions/{id}/undo. What a judgement does: graph_service.identity.resolutions
(docs/search.md, "Identity")."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import Response

from graph_service.api.demo_ids import DEMO
from graph_service.api.deps import Caller, get_graph, get_settings, require_role
from graph_service.api.errors import responses
from graph_service.api.inputs import MAX_ID, MAX_TEXT, bounded, cursor_offset, decode_cursor, encode_cursor
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.identity import Resolution, ResolutionIn, ResolutionPage, UndoIn
from graph_service.api.present import json_response
from graph_service.identity import resolutions
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings
from graph_service.subjects import clean_id

router = APIRouter(prefix="/v1/resolutions", tags=["identity"], route_class=JsonRoute)

_TWIN = "432801196804121377"  # a second 刘建国 beside demo P01 (the duplicates example)
_CONFLICT: dict[int | str, dict[str, Any]] = {409: {
    "description": "The pair is already one subject, or already judged (undo that judgement first); two enterprises "
                   "holding shares in one another; an undo of an undone judgement",
                   "content": {"application/json": {"example": {"error": {
                       "code": "already_judged", "message": f"{DEMO['P01']} and {_TWIN} were judged 'different' by "
                       "res-5f0c2a9e81d34b7a: undo it first to judge them again", "field": "subject_ids"}}}}}}

JUDGE_DESCRIPTION = (
    "An admin's judgement of two subjects of one kind, with the reason it rests on, kept for good (undo marks it).\n\n"
    "`different`: two subjects; the pair leaves GET /v1/analytics/duplicates.\n\n"
    "`same`: one subject. The canonical one is the older: for enterprises the earlier `established_on` (unknown "
    "counts as latest), for persons a citizen ID before other documents; then the smaller id. The other is merged "
    "into it: its roles, holdings, records, responsible namings and releases move to the canonical subject as they "
    "were (records keep the reported id as `reported_subject_id`), and the liabilities and reach of every record "
    "this touches are recomputed in the same transaction. Afterwards a read of the merged id (facts, credit, "
    "network, risk, paths, ownership) answers `308` with `Location` naming the canonical subject; a check of it "
    "answers for the canonical subject (`subject_id`, with `merged_from`); lists show the canonical subject; a later "
    "`credit-graph load` naming the merged id writes to the canonical subject, so the merge survives reloads. "
    "Subjects merged into one of the two before follow it.\n\n"
    "Example (demo bundle and a second 刘建国 `432801196804121377`, born the same day, with a court record): "
    "`{\"subject_ids\": [\"432801196804121350\", \"432801196804121377\"], \"judgement\": \"same\", \"reason\": "
    "\"...\"}` → 201 with `canonical_id` 432801196804121350 (the smaller id), `merged_id` 432801196804121377 and "
    "the records recomputed; `POST /v1/checks {\"subject_id\": \"432801196804121377\", \"action\": \"flight\"}` "
    "then answers `restricted` for 432801196804121350 with `merged_from`.\n\n"
    "Errors: 422 naming the field for two equal ids (a 15-digit id and its 18-digit form are equal), a malformed "
    "id, an enterprise and a person, an unknown `judgement`; 404 naming `subject_ids[i]` for an unknown id; 409 "
    "for a pair already one subject or already judged. Roles: `admin` only.")


@router.post(
    "",
    response_model=Resolution,
    response_model_exclude_none=True,
    status_code=201,
    summary="Judge two subjects the same or different",
    description=JUDGE_DESCRIPTION,
    responses={**responses(401, 403, 404, 422, 503, 504), **_CONFLICT},
)
async def post_resolution(
    body: ResolutionIn = Body(openapi_examples={
        "same person (demo P01 and a twin record)": {"value": {
            "subject_ids": [DEMO["P01"], _TWIN], "judgement": "same",
            "reason": "户籍核查：同一人，432801196804121377 为录入错误（郴州市公安局北湖分局 2026-11-20 复函）"}},
        "different enterprises": {"value": {
            "subject_ids": [DEMO["E01"], "91431002MA4L2HJ45P"], "judgement": "different",
            "reason": "两家企业登记于同一地址，法定代表人与股东均不同"}},
        "the same id twice": {"summary": "422 naming subject_ids", "value": {
            "subject_ids": [DEMO["P01"], DEMO["P01"]], "judgement": "same", "reason": "?"}}}),
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role("admin")),
) -> Response:
    ids = [clean_id(raw, f"subject_ids[{i}]") for i, raw in enumerate(body.subject_ids)]
    out = await resolutions.judge(graph, caller, ids, body.judgement, body.reason.strip())
    response = json_response(Resolution(**out), exclude_none=True)
    response.status_code = 201
    return response


@router.get(
    "",
    response_model=ResolutionPage,
    response_model_exclude_none=True,
    summary="The judgements kept, newest first",
    description=(
        "Every judgement, undone ones included (`status`), or those naming `subject_id` (as judged, canonical or "
        "merged). Roles: `admin` only."),
    responses=responses(401, 403, 422, 503, 504),
)
async def list_resolutions(
    subject_id: str | None = Query(None, max_length=MAX_ID, description="judgements naming this subject",
                                   examples=[DEMO["P01"]]),
    limit: int | None = Query(None, description="judgements per page (default CREDIT_GRAPH_RESOLUTIONS_PAGE_SIZE, at "
                                                "most CREDIT_GRAPH_RESOLUTIONS_MAX_PAGE_SIZE)", examples=[20]),
    cursor: str | None = Query(None, max_length=MAX_TEXT, description="`next_cursor` of the previous page"),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role("admin")),
) -> ResolutionPage:
    limit = bounded(limit, min(settings.resolutions_page_size, settings.resolutions_max_page_size), 1,
                    settings.resolutions_max_page_size, "limit")
    offset = cursor_offset(decode_cursor(cursor), settings.max_offset)
    sid = clean_id(subject_id, "subject_id") if subject_id is not None else None
    rows = await resolutions.history(graph, sid, offset, limit)
    return ResolutionPage(items=rows[:limit],
                          next_cursor=encode_cursor({"offset": offset + limit}) if len(rows) > limit else None)


RESOLUTION_ID = Path(max_length=MAX_ID, description="`resolution_id` of POST /v1/resolutions",
                     examples=["res-5f0c2a9e81d34b7a"])


@router.get(
    "/{resolution_id}",
    response_model=Resolution,
    response_model_exclude_none=True,
    summary="One judgement as kept",
    description="The judgement, what it recomputed, and whether and why it was undone. Roles: `admin` only.",
    responses=responses(401, 403, 404, 422, 503, 504),
)
async def get_resolution(
    resolution_id: str = RESOLUTION_ID,
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role("admin")),
) -> Resolution:
    return Resolution(**await resolutions.get(graph, resolution_id))


@router.post(
    "/{resolution_id}/undo",
    response_model=Resolution,
    response_model_exclude_none=True,
    summary="Undo a judgement exactly",
    description=(
        "Marks the judgement `undone` (kept, with who undid it, when and why). Undoing `different` puts the pair back "
        "on the duplicates list. Undoing `same` splits the merged subject, with any merged through it, off the "
        "canonical one: each role, holding, record, responsible naming and release goes back to the id it names "
        "(one a later load added for the merged id too), the liabilities and reach of the records touched are "
        "recomputed, and the notifications the merge created that are still pending and no longer reached are "
        "removed (`notifications_dropped`): the graph is as it was before the merge. Judgements may be undone in "
        "any order.\n\n"
        "Example: `POST /v1/resolutions/res-5f0c2a9e81d34b7a/undo {\"reason\": \"复函撤回\"}` → 200, `status` undone; "
        "GET /v1/persons/432801196804121377 answers 200 again.\n\n"
        "Errors: 404 for an unknown id, 409 `already_undone`. Roles: `admin` only."),
    responses={**responses(401, 403, 404, 422, 503, 504), **_CONFLICT},
)
async def undo_resolution(
    resolution_id: str = RESOLUTION_ID,
    body: UndoIn | None = Body(None, openapi_examples={"with a reason": {"value": {"reason": "复函撤回：两人身份另行核实"}}}),
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role("admin")),
) -> Resolution:
    reason = body.reason.strip() if body is not None and body.reason else None
    return Resolution(**await resolutions.undo(graph, caller, resolution_id, reason))
