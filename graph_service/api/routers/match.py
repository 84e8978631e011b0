"""Screening by example: POST /v1/match and POST /v1/match/batch (issue 17 point 2; docs/search.md, "Match").

Both answer with `graph_service.search.match` (a single match is a batch of one), so a key of a
batch gets what the single match would answer for it, errors included (403, 422 per key). Person
candidates are person-level reads: audited like GET /v1/persons/{id}, investigators state a purpose.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Body, Depends
from fastapi.responses import Response

from graph_service.api.deps import Caller, audit_person_reads, check_purpose, get_graph, get_settings, purpose_header, require_role
from graph_service.api.errors import ApiError, responses
from graph_service.api.examples import MATCH_EXAMPLE, ok
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.match import MatchBatchRequest, MatchBatchResponse, MatchRequest, MatchResult
from graph_service.api.present import json_response
from graph_service.api.privacy import mask_name, mask_person_id
from graph_service.domain.vocabulary import KEY_ROLES
from graph_service.errors import Refused, ServiceError
from graph_service.runner import Graph
from graph_service.search import match, scoring
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/match", tags=["match"], route_class=JsonRoute)

ROLES_AND_AUDIT = (
    "Roles: `public` matches enterprises only (a person query is 403); a region-scoped key sees candidates "
    "registered outside its region masked (`in_scope: false`, id and name masked, explained without reasons). "
    "Person candidates are person-level reads: each one answered unmasked is written to the audit log, and "
    "investigators state their purpose in `X-Purpose` (422 `purpose_required` without it)."
)
FORMULA = (
    "**Score**: 1 when the USCC or person id given is the candidate's; otherwise "
    f"{scoring.NAME_WEIGHT} × the name's similarity plus, for each other feature both sides have, up to +agree when "
    f"it agrees and down to −conflict when it conflicts ({scoring.weights_text()}), at most {scoring.MAX_WITHOUT_ID}. "
    "So exact id > name and birth date (0.95) > name only (0.70) > name with another birth date (0.40). `match` is the "
    "score at or above `threshold` (CREDIT_GRAPH_MATCH_THRESHOLD, 0.7); docs/search.md gives the features and the "
    "calibration."
)


def _presented(answer: dict[str, Any]) -> dict[str, Any]:
    for c in answer["candidates"]:
        s = c["subject"]
        if s["masked"]:
            s["id"], s["name"] = mask_person_id(s["id"]), mask_name(s["name"])
    return answer


def _persons_read(answers: Iterable[dict[str, Any]]) -> list[str]:
    return [c["subject"]["id"] for a in answers for c in a["candidates"]
            if c["subject"]["kind"] == "person" and not c["subject"]["masked"]]


@router.post(
    "",
    response_model=MatchResult,
    response_model_exclude_none=True,
    summary="Screen a subject by what is known of it (query by example)",
    description=(
        "Candidates for an enterprise or a person described by `properties` (name, USCC or person id, birth date, "
        "gender, region, legal representative, address), each with a score in [0, 1], the similarity and the "
        "contribution of every feature compared, an explanation, and `match: true` at or above the threshold. "
        "Candidates are found by the id, through the full-text index of names (current and former, folded: width, "
        "brackets, spaces, dots, traditional characters, organisation form and region do not matter; pinyin for "
        "persons), by birth date and region (the citizen id's first 14 digits), and through the legal "
        "representative's name.\n\n" + FORMULA + "\n\n"
        "Demo: `{\"kind\": \"person\", \"properties\": {\"name\": \"劉建國\", \"birth_date\": \"1968-04-12\"}}` → 刘建国 "
        "(432801196804121350) with 0.95, `match: true`; with `\"birth_date\": \"1975-09-03\"` → 0.40, `match: false`. "
        "`{\"kind\": \"enterprise\", \"properties\": {\"name\": \"恒基建材（郴州）有限公司\", \"region_code\": \"431000\", "
        "\"legal_representative\": \"陈志强\"}}` → 郴州市恒基建材有限公司 (91431002MA4L2HJ36R) first, 0.88.\n\n"
        "Bad input (422 naming the field): no `name` with a letter or digit and no id (`properties`), a property of "
        "the other kind, an unknown `kind`, a `threshold` outside [0, 1], a `limit` outside [1, "
        "CREDIT_GRAPH_MATCH_MAX_LIMIT].\n\n" + ROLES_AND_AUDIT
    ),
    responses={**ok(MATCH_EXAMPLE["response"]), **responses(401, 403, 422, 503, 504)},
)
async def post_match(
    req: MatchRequest = Body(openapi_examples={
        "person by name and birth date (demo)": {
            "value": {"kind": "person", "properties": {"name": "劉建國", "birth_date": "1968-04-12"}}},
        "person in pinyin (demo)": {
            "value": {"kind": "person", "properties": {"name": "Wang Haitao", "region_code": "431003",
                                                       "gender": "male"}}},
        "enterprise written another way (demo)": {"value": MATCH_EXAMPLE["request"]},
        "enterprise by a mistyped USCC (demo)": {
            "value": {"kind": "enterprise", "properties": {"name": "郴州市恒基建材有限公司",
                                                           "uscc": "91431002MA4L2HJ36A"}, "limit": 3}},
        "no usable property": {"summary": "422 naming `properties`",
                               "value": {"kind": "person", "properties": {"birth_date": "1968-04-12"}}}}),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
    purpose: str | None = Depends(purpose_header),
) -> Response:
    if req.kind == "person" and caller.sees_persons:
        check_purpose(caller, purpose)
    answer = await match.match_one(graph, caller, req.kind, req.properties.model_dump(), req.threshold, req.limit,
                                   settings)
    await audit_person_reads(graph, caller, purpose, "POST /v1/match", _persons_read([answer]))
    return json_response(MatchResult.model_validate(_presented(answer)), exclude_none=True)


@router.post(
    "/batch",
    response_model=MatchBatchResponse,
    response_model_exclude_none=True,
    summary="Screen up to 1,000 subjects at once",
    description=(
        "Up to `CREDIT_GRAPH_MATCH_BATCH_MAX_ITEMS` (1,000) queries of `POST /v1/match` keyed by the caller's own ids "
        "(as yente's `/match`). Each key gets what the single match would answer for it: `status` 200 with the "
        "`result`, or the `status` and `error` (a query without a usable property is a 422 for that key, not for "
        "the batch; a malformed body, an unknown `kind` or an empty or oversized batch is a 422 for the batch). "
        "The queries are read in chunks of `CREDIT_GRAPH_MATCH_BATCH_CHUNK`, each with one statement in one read "
        "transaction, `CREDIT_GRAPH_BATCH_PARALLELISM` at a time. `counts` sums the keys with a match, without "
        "one, and in error.\n\n" + ROLES_AND_AUDIT
    ),
    responses=responses(401, 403, 422, 503, 504),
)
async def post_match_batch(
    req: MatchBatchRequest,
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
    purpose: str | None = Depends(purpose_header),
) -> Response:
    n = len(req.queries)
    if n == 0 or n > settings.match_batch_max_items:
        raise ApiError(422, "invalid_request", f"queries: between 1 and {settings.match_batch_max_items} queries "
                                               f"(CREDIT_GRAPH_MATCH_BATCH_MAX_ITEMS), got {n}", "queries")
    refused: dict[str, ServiceError] = {}
    if caller.sees_persons:
        for k, q in req.queries.items():
            if q.kind == "person":
                try:
                    check_purpose(caller, purpose)
                except Refused as exc:
                    refused[k] = exc
    answers = await match.match_batch(graph, caller, {k: q.model_dump() for k, q in req.queries.items()}, settings,
                                      refused)
    await audit_person_reads(graph, caller, purpose, "POST /v1/match/batch",
                             _persons_read(a for status, a in answers.values() if status == 200))
    out: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    for k, (status, value) in answers.items():
        if status == 200:
            out[k] = {"status": 200, "result": _presented(value)}
            label = "match" if value["matches"] else "no_match"
        else:
            out[k] = {"status": status, "error": value}
            label = "error"
        counts[label] = counts.get(label, 0) + 1
    return json_response(MatchBatchResponse.model_validate({"responses": out, "counts": counts}),
                         exclude_none=True)
