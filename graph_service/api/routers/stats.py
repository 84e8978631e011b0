"""Statistics and the 7-day publication check (issue 5 items 7 and 8).

GET /v1/stats, GET /v1/stats/publication.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Query

from graph_service.api.deps import Caller, get_graph, require_role
from graph_service.api.errors import ApiError, responses
from graph_service.api.inputs import MAX_NAME, IsoDate
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.workflow import Publication, Stats
from graph_service.api.workflow_calls import READERS, read, scoped_region
from graph_service.domain.vocabulary import RecordKind
from graph_service.runner import Graph
from graph_service.workflow import publication, stats, store

router = APIRouter(tags=["statistics"], route_class=JsonRoute)


def _period(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date, dt.date]:
    to = date_to or store.today()
    frm = date_from or dt.date(to.year, 1, 1)
    if frm > to:
        raise ApiError(422, "invalid_request", f"from: {frm} is after to {to}", "from")
    return frm, to


@router.get(
    "/v1/stats", response_model=Stats, summary="Statistics of the joint reward and punishment loop",
    description=(
        "For the period [`from`, `to`] (this year to date when absent): records by kind and category and the "
        "persons they reach (records decided by the authorities of `region` and below, or by `authority`); "
        "notifications sent to `region` and below, acknowledged, answered, applied, and the feedback rate; "
        "objections by outcome, those overdue on `to` and those resolved late; repairs accepted and refused. "
        "Each count is placed in the period by its own date (decision, sending, notice, request)."),
    responses=responses(401, 403, 422, 503, 504),
)
async def get_stats(
    region: str | None = Query(None, pattern=r"^\d{6}$", examples=["431000"]),
    authority: str | None = Query(None, max_length=MAX_NAME, description="an authority id, `<region code>:<name>`",
                                  examples=["431000:郴州市市场监督管理局"]),
    date_from: IsoDate | None = Query(None, alias="from"), date_to: IsoDate | None = Query(None, alias="to"),
    graph: Graph = Depends(get_graph), caller: Caller = Depends(require_role(*READERS)),
) -> dict[str, Any]:
    region = await scoped_region(graph, caller, region)
    if authority is not None and caller.region_code is not None:
        await scoped_region(graph, caller, authority.split(":", 1)[0])
    frm, to = _period(date_from, date_to)
    return await read(graph, lambda: stats.stats(date_from=frm, date_to=to, as_of=to, region_code=region,
                                                 authority_id=authority))


@router.get(
    "/v1/stats/publication", response_model=Publication, summary="7-day publication (7天双公示)",
    description=(
        "Records decided in [`from`, `to`] and whether each was published within 7 working days of the "
        "decision (official calendar, first day not counted), as of `as_of` (today when absent): counts by "
        "authority (on_time, late, unpublished_overdue, pending, unknown_calendar) and the flagged records, "
        "most days late first. A deadline in a year the calendar does not know is `unknown_calendar`."),
    responses=responses(401, 403, 422, 503, 504),
)
async def get_publication(
    region: str | None = Query(None, pattern=r"^\d{6}$", examples=["431000"]),
    authority: str | None = Query(None, max_length=MAX_NAME, examples=["431000:郴州市市场监督管理局"]),
    kind: RecordKind | None = Query(None),
    date_from: IsoDate | None = Query(None, alias="from"), date_to: IsoDate | None = Query(None, alias="to"),
    as_of: IsoDate | None = Query(None),
    graph: Graph = Depends(get_graph), caller: Caller = Depends(require_role(*READERS)),
) -> dict[str, Any]:
    region = await scoped_region(graph, caller, region)
    if authority is not None and caller.region_code is not None:
        await scoped_region(graph, caller, authority.split(":", 1)[0])
    frm, to = _period(date_from, date_to)
    rep = await read(graph, lambda: publication.report(
        as_of=as_of or store.today(), date_from=frm, date_to=to, region_code=region, authority_id=authority,
        kinds=[kind] if kind else None))
    return {"from": frm, "to": to, "region": region, **rep.as_dict()}
