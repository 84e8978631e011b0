"""Push and respond (信息推送, 执行反馈; issue 5 item 2): a region's notification queue and its answers.

GET /v1/notifications, POST /v1/notifications/{id}/acknowledge, POST /v1/notifications/{id}/feedback,
POST /v1/notifications/{id}/restoration/acknowledge.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from graph_service.api.deps import Caller, get_graph, get_settings, require_role
from graph_service.api.errors import ApiError, responses
from graph_service.api.inputs import MAX_ITEMS, MAX_NAME, Id, IsoDate, RecordDate, Text, bounded, page_offset
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.workflow import NotificationAnswer, NotificationQueue
from graph_service.api.workflow_calls import (
    CONFLICT,
    READERS,
    WRITERS,
    actor,
    read,
    scoped_region,
    visible_notification,
    write,
)
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings
from graph_service.workflow import notifications as nf
from graph_service.workflow import store

router = APIRouter(tags=["workflow"], route_class=JsonRoute)

NOTIFICATION_EXAMPLE = "HN431000-2026-B0001|431002"


class AcknowledgeIn(BaseModel):
    on: RecordDate | None = Field(None, description="day of receipt; today when absent")


class FeedbackIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "applied": True, "on": "2026-01-26", "measures": ["adm_public_resource_trading"],
        "reason": "已在政府采购资格审查中限制"}]})

    applied: bool = Field(description="whether the department applied the notified measures")
    on: RecordDate | None = Field(None, description="day they were applied (or the decision not to); today when absent")
    measures: list[Id] | None = Field(None, max_length=MAX_ITEMS, description="the measures applied, among those "
                                                                              "notified; all of them when absent and applied")
    reason: Text | None = Field(None, description="required when not applied")


@router.get(
    "/v1/notifications", response_model=NotificationQueue, summary="A region's notification queue",
    description=(
        "Notifications addressed to the implementing departments of `region` (the key's region when absent), "
        "newest first, each with its measures (mandatory first), the day it was sent and the day an answer "
        "is due (`CREDIT_GRAPH_NOTIFICATION_OVERDUE_WORKING_DAYS` working days later on the official calendar). "
        "`status=overdue` lists those unanswered past that day while the record is in force and not suspended "
        "by an objection."),
    responses=responses(401, 403, 422, 503, 504),
)
async def notification_queue(
    region: str | None = Query(None, pattern=r"^\d{6}$", examples=["431002"]),
    status: Literal[nf.STATUSES + ("overdue",)] | None = Query(None),  # type: ignore[valid-type]
    as_of: IsoDate | None = Query(None, description="the day overdue is judged on; today when absent"),
    limit: int | None = Query(None, description="rows per page (default CREDIT_GRAPH_LIST_PAGE_SIZE, at most "
                                                 "CREDIT_GRAPH_LIST_MAX_PAGE_SIZE)", examples=[100]),
    offset: int | None = Query(None, description="rows to skip (at most CREDIT_GRAPH_MAX_OFFSET)", examples=[0]),
    graph: Graph = Depends(get_graph), settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*READERS)),
) -> dict[str, Any]:
    limit = bounded(limit, settings.list_page_size, 1, settings.list_max_page_size, "limit")
    offset = page_offset(offset, settings.max_offset)
    region = await scoped_region(graph, caller, region)
    if region is None:
        raise ApiError(422, "invalid_request", "region: a region code is required for a key without a region",
                       "region")
    day = as_of or store.today()
    items, total = await read(graph, lambda: nf.queue(
        region, as_of=day, working_days=settings.notification_overdue_working_days, status=status,
        skip=offset, limit=limit), "as_of")
    return {"region": region, "as_of": day, "total": total, "offset": offset, "limit": limit, "items": items}


@router.post(
    "/v1/notifications/{notification_id}/acknowledge", response_model=NotificationAnswer,
    summary="Acknowledge a notification",
    description="Receipt by the region's department. Acknowledging again keeps the first day.",
    responses={**responses(401, 403, 404, 422, 503), **CONFLICT},
)
async def acknowledge(request: Request, body: AcknowledgeIn | None = None,
                      notification_id: str = Path(max_length=MAX_NAME, examples=[NOTIFICATION_EXAMPLE]),
                      graph: Graph = Depends(get_graph),
                      caller: Caller = Depends(require_role(*WRITERS))) -> dict[str, Any]:
    await visible_notification(graph, caller, notification_id)
    on = body.on if body else None
    return await write(request, lambda: nf.acknowledge(notification_id, actor=actor(caller), on=on))


@router.post(
    "/v1/notifications/{notification_id}/feedback", response_model=NotificationAnswer,
    summary="Report what was done (执行反馈)",
    description=("Measures applied or not, the day, which measures, and why not. The latest answer counts; every "
                 "answer stays in the record's history."),
    responses={**responses(401, 403, 404, 422, 503), **CONFLICT},
)
async def feedback(request: Request, body: FeedbackIn,
                   notification_id: str = Path(max_length=MAX_NAME, examples=[NOTIFICATION_EXAMPLE]),
                   graph: Graph = Depends(get_graph),
                   caller: Caller = Depends(require_role(*WRITERS))) -> dict[str, Any]:
    await visible_notification(graph, caller, notification_id)
    return await write(request, lambda: nf.feedback(
        notification_id, applied=body.applied, on=body.on, measures=body.measures, reason=body.reason,
        actor=actor(caller)))


@router.post(
    "/v1/notifications/{notification_id}/restoration/acknowledge", response_model=NotificationAnswer,
    summary="Acknowledge a restoration notice",
    description="After a revocation, each department that applied a measure confirms it restored the subject.",
    responses={**responses(401, 403, 404, 422, 503), **CONFLICT},
)
async def acknowledge_restoration(request: Request, body: AcknowledgeIn | None = None,
                                  notification_id: str = Path(max_length=MAX_NAME, examples=[NOTIFICATION_EXAMPLE]),
                                  graph: Graph = Depends(get_graph),
                                  caller: Caller = Depends(require_role(*WRITERS))) -> dict[str, Any]:
    await visible_notification(graph, caller, notification_id)
    on = body.on if body else None
    return await write(request, lambda: nf.acknowledge_restoration(notification_id, actor=actor(caller), on=on))
