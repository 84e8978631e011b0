"""Published lists (issue 5 items 5 and 6): black and red lists, green-channel eligibility.

GET /v1/lists/black, GET /v1/lists/red (JSON pages or the whole list as CSV),
GET /v1/lists/green-channel/{subject_id}.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from graph_service.api.csv_export import to_csv
from graph_service.api.deps import (
    Caller,
    audit_person_read,
    audit_person_reads,
    get_graph,
    get_settings,
    purpose_header,
    require_role,
)
from graph_service.api.errors import ApiError, responses
from graph_service.api.inputs import MAX_ID, MAX_NAME, IsoDate, bounded, page_offset
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.workflow import GreenChannel, ListPage
from graph_service.api.privacy import mask_name, mask_person_id
from graph_service.api.workflow_calls import READERS, read, scoped_region
from graph_service.domain.vocabulary import KEY_ROLES
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings
from graph_service.workflow import lists, redlist, store
from graph_service.workflow.store import NotFound

router = APIRouter(tags=["lists"], route_class=JsonRoute)

CSV_COLUMNS = ("record_id", "kind", "category", "severity", "subject_kind", "subject_id", "subject_name",
               "authority_id", "authority_name", "authority_region", "document_no", "decided_on", "published_on",
               "valid_until", "legal_basis")


def _masked(row: dict[str, Any]) -> dict[str, Any]:
    if row.get("subject_kind") != "person":
        return row
    return {**row, "subject_id": mask_person_id(row["subject_id"]), "subject_name": mask_name(row.get("subject_name")),
            "masked": True}


async def _audited(graph: Graph, caller: Caller, purpose: str | None, kind: str, rows: list[dict[str, Any]],
                   day: dt.date) -> None:
    """A page or export naming persons unmasked is a person-level read: investigators state their
    purpose (422 otherwise) and every person on it gets an audit entry before the answer leaves."""
    if not caller.sees_persons:
        return
    persons = [r["subject_id"] for r in rows if r.get("subject_kind") == "person"]
    await audit_person_reads(graph, caller, purpose, f"GET /v1/lists/{kind}", persons, day)


async def _list(kind: str, graph: Graph, settings: ServiceSettings, caller: Caller, region: str | None,
                by: str, category: str | None, as_of: dt.date | None, limit: int | None, offset: int | None,
                fmt: str, purpose: str | None = None) -> Any:
    size = bounded(limit, settings.list_page_size, 1, settings.list_max_page_size, "limit")
    offset = page_offset(offset, settings.max_offset)
    if caller.role != "public":
        region = await scoped_region(graph, caller, region)
    day = as_of or store.today()
    if fmt == "csv":
        rows = await lists.every_row(graph, kind, as_of=day, region_code=region, by=by, category=category,
                                     page=settings.list_max_page_size)
        if caller.role == "public":
            rows = [_masked(r) for r in rows]
        await _audited(graph, caller, purpose, kind, rows, day)
        name = f"{kind}-list-{region or 'all'}-{day.isoformat()}.csv"
        return Response(to_csv(CSV_COLUMNS, rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    items, total = await read(graph, lambda: lists.listed(
        kind, as_of=day, region_code=region, by=by, category=category, skip=offset, limit=size))
    if caller.role == "public":
        items = [_masked(r) for r in items]
    await _audited(graph, caller, purpose, kind, items, day)
    return {"kind": kind, "as_of": day, "region": region, "by": by, "category": category, "total": total,
            "offset": offset, "limit": size, "items": items}


LIMIT = Query(None, description="rows per page (default CREDIT_GRAPH_LIST_PAGE_SIZE, at most "
                                "CREDIT_GRAPH_LIST_MAX_PAGE_SIZE); `format=csv` exports every row", examples=[100])
OFFSET = Query(None, description="rows to skip (at most CREDIT_GRAPH_MAX_OFFSET); page with `limit`", examples=[0])

# `format=csv` answers the whole list as a CSV file.
LIST_RESPONSES = {200: {"description": "A page of the list (JSON), or the whole list (`format=csv`)",
                        "content": {"application/json": {},
                                    "text/csv": {"schema": {"type": "string"},
                                                 "example": ",".join(CSV_COLUMNS) + "\n"}}},
                  **responses(401, 403, 422, 503, 504)}

LIST_DESCRIPTION = (
    "Records in force on `as_of` (today when absent) and not suspended by an objection under verification, "
    "newest first. `region`: the deciding authority's region (`by=authority`, the publishing departments) or "
    "the subject's (`by=subject`), sub-regions included. `format=csv` exports the whole list; a text cell "
    "starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` so that no spreadsheet "
    "runs it as a formula. The `public` role sees person ids and names masked; `department` keys are held to "
    "their region. A page or export naming persons is a person-level read for the other roles: each person on "
    "it is written to the audit log, and investigators must state `X-Purpose` (422 `purpose_required`).")


@router.get("/v1/lists/black", response_model=ListPage,
            summary="The black list (严重失信主体名单)", description=LIST_DESCRIPTION,
            responses=LIST_RESPONSES)
async def black_list(
    region: str | None = Query(None, pattern=r"^\d{6}$", examples=["431000"]),
    by: Literal["authority", "subject"] = Query("authority"),
    category: str | None = Query(None, max_length=MAX_NAME, examples=["health_safety"]),
    as_of: IsoDate | None = Query(None), limit: int | None = LIMIT, offset: int | None = OFFSET,
    format: Literal["json", "csv"] = Query("json"),
    graph: Graph = Depends(get_graph), settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)), purpose: str | None = Depends(purpose_header),
) -> Any:
    return await _list("black", graph, settings, caller, region, by, category, as_of, limit, offset, format, purpose)


@router.get("/v1/lists/red", response_model=ListPage, summary="The red list (诚信典型名单)",
            description=LIST_DESCRIPTION + " A red record leaves the list on the day the subject has a black record "
                                           "or its legal representative becomes liable for one.",
            responses=LIST_RESPONSES)
async def red_list(
    region: str | None = Query(None, pattern=r"^\d{6}$", examples=["431000"]),
    by: Literal["authority", "subject"] = Query("authority"),
    category: str | None = Query(None, max_length=MAX_NAME),
    as_of: IsoDate | None = Query(None), limit: int | None = LIMIT, offset: int | None = OFFSET,
    format: Literal["json", "csv"] = Query("json"),
    graph: Graph = Depends(get_graph), settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)), purpose: str | None = Depends(purpose_header),
) -> Any:
    return await _list("red", graph, settings, caller, region, by, category, as_of, limit, offset, format, purpose)


@router.get(
    "/v1/lists/green-channel/{subject_id}", response_model=GreenChannel,
    summary="Green-channel eligibility (绿色通道, 容缺受理)",
    description=(
        "Eligible on `as_of` (today when absent) when the subject is on the red list that day, or has had three "
        "consecutive years without bad credit records (black or penalty records about it, or black records "
        "entered in its personal credit record); revoked records never count, and days under objection do not "
        "count against it. Answers when the clean spell began and when the three-year route opens.\n\n"
        "For a person: a person-level read, audited (investigators state `X-Purpose`)."),
    responses=responses(401, 403, 404, 422, 503, 504),
)
async def green_channel(
    subject_id: str = Path(max_length=MAX_ID, examples=["91431026MA4N1T2G3A"]), as_of: IsoDate | None = Query(None),
    graph: Graph = Depends(get_graph), caller: Caller = Depends(require_role(*READERS)),
    purpose: str | None = Depends(purpose_header),
) -> dict[str, Any]:
    day = as_of or store.today()
    g = await read(graph, lambda: redlist.green_channel(subject_id, day))
    # Outside the key's region: the answer of an unknown subject (translated NotFound).
    caller.check_visible(g.region_codes, ApiError(404, "not_found", str(NotFound("subject", subject_id))))
    if g.subject_kind == "person":
        await audit_person_read(graph, caller, purpose, "GET /v1/lists/green-channel", "person", subject_id, day)
    # The same explanation as a check of `green_channel` gives (redlist.explanation).
    return {"subject_id": g.subject_id, "subject_kind": g.subject_kind, "as_of": g.as_of,
            **redlist.explanation(g)}
