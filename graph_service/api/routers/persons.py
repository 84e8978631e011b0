"""Persons: GET /v1/persons/{person_id}."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Path, Query

from graph_service import subjects
from graph_service.api.deps import (
    Caller,
    audit_person_read,
    check_purpose,
    get_graph,
    get_settings,
    purpose_header,
    require_role,
)
from graph_service.api.errors import SubjectMerged, not_found, responses
from graph_service.api.examples import DEMO_PERSON_ID, PERSON_EXAMPLE, ok
from graph_service.api.inputs import AS_OF_FACTS, KNOWN_AT_FACTS, IsoDate, checked_person_id
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.changes import EXAMPLE_CHANGE, KINDS_HELP, ChangePage
from graph_service.api.models.person import PersonFacts
from graph_service.api.present import json_response
from graph_service.changes import history
from graph_service.changes import known_at as known
from graph_service.changes.feed import FeedQuery
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/persons", tags=["persons"], route_class=JsonRoute)


@router.get(
    "/{person_id}",
    response_model=PersonFacts,
    summary="A person's stored facts",
    description=(
        "Properties, region with its ancestors, roles held in enterprises and shareholdings with their dates, "
        "the credit records about the person and the records naming the person directly responsible, each with "
        "provenance.\n\n"
        "A person-level read: not open to the `public` role (403). `department` keys see persons registered in "
        "their region or sub-regions (another answers 404 as an unknown one). Every answered read is written to the "
        "audit log (`AuditEntry`); "
        "investigators must state their purpose in `X-Purpose` (422 `purpose_required` without it)."
    ),
    responses={**ok(PERSON_EXAMPLE), **responses(308, 401, 403, 404, 422, 503, 504)},
)
async def get_person(
    person_id: str = Path(description="identity document number; for a resident ID the 18-character citizen ID "
                                      "with its check character, or its first-generation 15-digit form (upgraded: "
                                      "either form finds the person)",
                          openapi_examples={"demo": {"summary": "a demo person", "value": DEMO_PERSON_ID}}),
    id_type: Literal["resident_id", "passport", "other"] = Query(
        "resident_id", description="how `person_id` is checked: a resident ID's checksum and birth date, "
                                   "or only its form for passports and other documents"),
    as_of: IsoDate | None = Query(None, description=AS_OF_FACTS, examples=["2024-01-01"]),
    known_at: str | None = Query(None, max_length=40, description=KNOWN_AT_FACTS, examples=["2026-12-01T09:30:00"]),
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role("department", "investigator", "admin")),
    purpose: str | None = Depends(purpose_header),
) -> PersonFacts:
    value = checked_person_id(person_id, id_type)
    check_purpose(caller, purpose)
    asked = (known_at or "").strip() or None  # empty: none asked, as in a check
    if asked is None:
        row = await subjects.person(graph, value, as_of)
    else:
        row, known_text, known_seq = await known.facts_known_at(graph, "person", value, as_of, asked)
    if row is None:
        raise not_found("person", "person_id", value)
    facts = PersonFacts.of(row, as_of)
    if asked is not None:
        facts.known_at, facts.known_seq = known_text, known_seq
    regions = facts.region.codes() if facts.region else [c for c in [facts.region_code] if c]
    caller.check_visible(regions, not_found("person", "person_id", value))
    if row["person"].get("merged_into"):
        raise SubjectMerged("person", value, row["person"]["merged_into"], "person_id")
    await audit_person_read(graph, caller, purpose, "GET /v1/persons/{person_id}", "person", value, as_of)
    return facts


@router.get(
    "/{person_id}/history",
    response_model=ChangePage,
    summary="A person's history",
    description=(
        "Every change-log entry about the person, oldest first: registration and field changes, roles and holdings "
        "started, ended or corrected (with the enterprise), records naming the person, releases, merges, and the "
        "liabilities and decisions that changed for them; each with who made it and the reporting department. "
        "Paged with `next_cursor` as GET /v1/changes (docs/changes.md).\n\n"
        "A person-level read: `department` (its region or below; another answers 404), `investigator` (with "
        "`X-Purpose`), `admin`; written to the audit log."
    ),
    responses={**ok({"items": [EXAMPLE_CHANGE], "limit": 100, "last_seq": 4211,
                     "next_cursor": "eyJhZnRlciI6NDIxMX0", "caught_up": True}),
               **responses(401, 403, 404, 422, 503, 504)},
)
async def get_person_history(
    person_id: str = Path(description="identity document number (a citizen ID in its 18- or 15-character form)",
                          openapi_examples={"demo": {"summary": "a demo person", "value": DEMO_PERSON_ID}}),
    id_type: Literal["resident_id", "passport", "other"] = Query("resident_id"),
    kinds: str | None = Query(None, max_length=1000, description=KINDS_HELP, examples=["role,liability"]),
    since: int | None = Query(None, description="the entries after this sequence number", examples=[0]),
    cursor: str | None = Query(None, description="`next_cursor` of the previous page"),
    limit: int | None = Query(None, description="entries per page (default CREDIT_GRAPH_CHANGES_PAGE_SIZE, at most "
                                                "CREDIT_GRAPH_CHANGES_MAX_PAGE_SIZE)", examples=[100]),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role("department", "investigator", "admin")),
    purpose: str | None = Depends(purpose_header),
):
    value = checked_person_id(person_id, id_type)
    check_purpose(caller, purpose)
    q = FeedQuery.of(since=since, cursor=cursor, limit=limit, region=None, subject=value, kinds=kinds,
                     default_limit=settings.changes_page_size, max_limit=settings.changes_max_page_size)
    answer = await history.of(graph, caller, "person", value, q, "person_id")
    await audit_person_read(graph, caller, purpose, "GET /v1/persons/{person_id}/history", "person", value, None)
    return json_response(ChangePage(**answer))
