"""Enterprises: GET /v1/enterprises/{uscc}."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query

from graph_service import subjects
from graph_service.api.deps import Caller, get_graph, get_settings, require_role
from graph_service.api.errors import SubjectMerged, not_found, responses
from graph_service.api.examples import DEMO_USCC, ENTERPRISE_EXAMPLE, ok
from graph_service.api.inputs import AS_OF_FACTS, KNOWN_AT_FACTS, IsoDate, checked_uscc
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.changes import EXAMPLE_CHANGE, KINDS_HELP, ChangePage
from graph_service.api.models.enterprise import EnterpriseFacts
from graph_service.api.present import json_response
from graph_service.api.privacy import mask_persons
from graph_service.changes import history
from graph_service.changes import known_at as known
from graph_service.changes.feed import FeedQuery
from graph_service.domain.vocabulary import KEY_ROLES
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/enterprises", tags=["enterprises"], route_class=JsonRoute)

@router.get(
    "/{uscc}",
    response_model=EnterpriseFacts,
    summary="An enterprise's stored facts",
    description=(
        "Properties, region with its ancestors, persons holding roles in it, its shareholders, the enterprises "
        "it holds, and the credit records about it, each with dates and provenance (load, file, line).\n\n"
        "Roles: `public` sees person ids and names masked (`4310**********0135`, `王*国`); `department` only "
        "enterprises registered in its region or sub-regions (another answers 404 as an unknown one); `investigator` "
        "and `admin` everything."
    ),
    responses={**ok(ENTERPRISE_EXAMPLE), **responses(308, 401, 403, 404, 422, 503, 504)},
)
async def get_enterprise(
    uscc: str = Path(description="Unified Social Credit Code (18 characters, check character verified)",
                     openapi_examples={"demo": {"summary": "a demo enterprise", "value": DEMO_USCC}}),
    as_of: IsoDate | None = Query(None, description=AS_OF_FACTS, examples=["2024-01-01"]),
    known_at: str | None = Query(None, max_length=40, description=KNOWN_AT_FACTS, examples=["2026-12-01T09:30:00"]),
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
) -> EnterpriseFacts:
    value = checked_uscc(uscc)
    asked = (known_at or "").strip() or None  # empty: none asked, as in a check
    if asked is None:
        row = await subjects.enterprise(graph, value, as_of)
    else:
        row, known_text, known_seq = await known.facts_known_at(graph, "enterprise", value, as_of, asked)
    if row is None:
        raise not_found("enterprise", "uscc", value)
    facts = EnterpriseFacts.of(row, as_of)
    if asked is not None:
        facts.known_at, facts.known_seq = known_text, known_seq
    regions = facts.region.codes() if facts.region else [c for c in [facts.region_code] if c]
    caller.check_visible(regions, not_found("enterprise", "uscc", value))
    if row["enterprise"].get("merged_into"):
        raise SubjectMerged("enterprise", value, row["enterprise"]["merged_into"], "uscc")
    return facts if caller.sees_persons else mask_persons(facts)


@router.get(
    "/{uscc}/history",
    response_model=ChangePage,
    summary="An enterprise's history",
    description=(
        "Every change-log entry about the enterprise, oldest first: its registration and each change of name, "
        "status, region or other field (before and after), roles and holdings started, ended or corrected, "
        "records about it, merges, and the liabilities and decisions they changed; each with who made it "
        "(`actor`: the load, or the API key) and the reporting department. Paged with `next_cursor` as "
        "GET /v1/changes (docs/changes.md).\n\n"
        "Roles: `department` (its region or below; another answers 404 as an unknown one), `investigator`, `admin`: "
        "the entries name persons."
    ),
    responses={**ok({"items": [EXAMPLE_CHANGE], "limit": 100, "last_seq": 4211,
                     "next_cursor": "eyJhZnRlciI6NDIxMX0", "caught_up": True}),
               **responses(401, 403, 404, 422, 503, 504)},
)
async def get_enterprise_history(
    uscc: str = Path(description="Unified Social Credit Code (18 characters, check character verified)",
                     openapi_examples={"demo": {"summary": "a demo enterprise", "value": DEMO_USCC}}),
    kinds: str | None = Query(None, max_length=1000, description=KINDS_HELP, examples=["enterprise,role"]),
    since: int | None = Query(None, description="the entries after this sequence number", examples=[0]),
    cursor: str | None = Query(None, description="`next_cursor` of the previous page"),
    limit: int | None = Query(None, description="entries per page (default CREDIT_GRAPH_CHANGES_PAGE_SIZE, at most "
                                                "CREDIT_GRAPH_CHANGES_MAX_PAGE_SIZE)", examples=[100]),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role("department", "investigator", "admin")),
):
    value = checked_uscc(uscc)
    q = FeedQuery.of(since=since, cursor=cursor, limit=limit, region=None, subject=value, kinds=kinds,
                     default_limit=settings.changes_page_size, max_limit=settings.changes_max_page_size)
    return json_response(ChangePage(**await history.of(graph, caller, "enterprise", value, q, "uscc")))
