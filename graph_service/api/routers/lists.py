"""Published lists (issue 5 items 5 and 6): black and red lists, green-channel eligibility.

GET /v1/lists/black, GET /v1/lists/red (JSON pages or the whole list as CSV),
GET /v1/lists/green-channel/{subject_id}.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from graph_service.api.deps import Caller, Graph, audit_person_read, get_graph, get_settings, purpose_header, require_role
from graph_service.api.errors import responses
from graph_service.api.inputs import MAX_ID, MAX_NAME, IsoDate
from graph_service.api.json_body import JsonRoute
from graph_service.api.params import bounded, page_offset
from graph_service.api.privacy import mask_name, mask_person_id
from graph_service.api.routers.records import READERS, check_scope, read, scoped_region
from graph_service.settings import ServiceSettings
from graph_service.workflow import lists, redlist, store

router = APIRouter(tags=["lists"], route_class=JsonRoute)

ALL_ROLES = ("public", "department", "investigator", "admin")
CSV_COLUMNS = ("record_id", "kind", "category", "severity", "subject_kind", "subject_id", "subject_name",
               "authority_id", "authority_name", "authority_region", "document_no", "decided_on", "published_on",
               "valid_until", "legal_basis")


def _masked(row: dict[str, Any]) -> dict[str, Any]:
    if row.get("subject_kind") != "person":
        return row
    return {**row, "subject_id": mask_person_id(row["subject_id"]), "subject_name": mask_name(row.get("subject_name")),
            "masked": True}


def _csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r[k]) for k in CSV_COLUMNS})
    return out.getvalue()


async def _list(kind: str, graph: Graph, settings: ServiceSettings, caller: Caller, region: str | None,
                by: str, category: str | None, as_of: dt.date | None, limit: int | None, offset: int | None,
                fmt: str) -> Any:
    size = bounded(limit, settings.list_page_size, 1, settings.list_max_page_size, "limit")
    offset = page_offset(offset, settings.max_offset)
    if caller.role != "public":
        region = await scoped_region(graph, caller, region)
    day = as_of or store.today()
    if fmt == "csv":
        # The whole list, page by page.
        rows: list[dict[str, Any]] = []
        step = settings.list_max_page_size
        while True:
            items, total = await read(graph, lambda: lists.listed(
                kind, as_of=day, region_code=region, by=by, category=category, skip=len(rows), limit=step))
            rows += items
            if not items or len(rows) >= total:
                break
        if caller.role == "public":
            rows = [_masked(r) for r in rows]
        name = f"{kind}-list-{region or 'all'}-{day.isoformat()}.csv"
        return Response(_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    items, total = await read(graph, lambda: lists.listed(
        kind, as_of=day, region_code=region, by=by, category=category, skip=offset, limit=size))
    if caller.role == "public":
        items = [_masked(r) for r in items]
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
    "the subject's (`by=subject`), sub-regions included. `format=csv` exports the whole list. The `public` "
    "role sees person ids and names masked; `department` keys are held to their region.")


@router.get("/v1/lists/black", summary="The black list (严重失信主体名单)", description=LIST_DESCRIPTION,
            responses=LIST_RESPONSES)
async def black_list(
    region: str | None = Query(None, pattern=r"^\d{6}$", examples=["431000"]),
    by: Literal["authority", "subject"] = Query("authority"),
    category: str | None = Query(None, max_length=MAX_NAME, examples=["health_safety"]),
    as_of: IsoDate | None = Query(None), limit: int | None = LIMIT, offset: int | None = OFFSET,
    format: Literal["json", "csv"] = Query("json"),
    graph: Graph = Depends(get_graph), settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*ALL_ROLES)),
) -> Any:
    return await _list("black", graph, settings, caller, region, by, category, as_of, limit, offset, format)


@router.get("/v1/lists/red", summary="The red list (诚信典型名单)",
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
    caller: Caller = Depends(require_role(*ALL_ROLES)),
) -> Any:
    return await _list("red", graph, settings, caller, region, by, category, as_of, limit, offset, format)


@router.get(
    "/v1/lists/green-channel/{subject_id}", summary="Green-channel eligibility (绿色通道, 容缺受理)",
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
    check_scope(caller, g.region_codes, f"subject {subject_id}", "subject_id")
    if g.subject_kind == "person":
        await audit_person_read(graph, caller, purpose, "GET /v1/lists/green-channel", "person", subject_id, day)
    return {
        "subject_id": g.subject_id, "subject_kind": g.subject_kind, "as_of": g.as_of, "eligible": g.eligible,
        "basis": g.basis, "red_records": g.red_records, "clean_since": g.clean_since,
        "eligible_from": g.eligible_from, "blocking": g.blocking, "notes": g.notes,
    }
