"""Watches and their alerts: POST/GET/DELETE /v1/watches, /v1/watches/{id}/alerts,
/deliveries, /webhook/enable (issue 18 point 4; docs/changes.md, Watches)."""

from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Path, Query

from graph_service.api.deps import Caller, get_graph, get_settings, require_role
from graph_service.api.errors import responses
from graph_service.api.examples import ok
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.watches import (
    EXAMPLE_ALERT,
    EXAMPLE_WATCH,
    AlertPage,
    DeliveryList,
    Watch,
    WatchIn,
    WatchList,
)
from graph_service.api.present import json_response
from graph_service.changes import watches
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/watches", tags=["watches"], route_class=JsonRoute)
WATCHERS = ("department", "investigator", "admin")
_NO_WEBHOOK: dict[int | str, dict] = {409: {
    "description": "The watch has no webhook",
    "content": {"application/json": {"example": {"error": {
        "code": "no_webhook", "message": "watch w-3f9a1c2e7b5d4e60 has no webhook", "field": "watch_id"}}}}}}
WATCH_ID = Path(description="the id POST /v1/watches answered", examples=["w-3f9a1c2e7b5d4e60"])


@router.post(
    "",
    response_model=Watch,
    status_code=201,
    summary="Watch subjects, their neighbourhood or regions",
    description=(
        "Alerts for every change set after now that touches a watched subject or a subject within `depth` (0-2) role "
        "or holding links of it in force today, or that lies in a watched region: one alert per watched subject per "
        "change set, naming the decisions per action before and after, the roles, holdings, records and objections "
        "that changed with the path from the watched subject, and the sequence numbers of the change-log entries. "
        "With `actions`, only a decision for one of them alerts. Read alerts with GET /v1/watches/{id}/alerts.\n\n"
        "With `webhook_url`, each alert is also POSTed there as JSON, signed: `X-Credit-Graph-Signature: "
        "sha256=<HMAC-SHA256 of the body under the watch's secret>`; the secret is in this answer only. Failed "
        "deliveries are retried with exponential backoff and logged (GET …/deliveries); after "
        "CREDIT_GRAPH_WEBHOOK_MAX_FAILURES alerts in a row that gave up, the webhook is disabled until its owner "
        "enables it (POST …/webhook/enable).\n\n"
        "Example: a watch on enterprise W with depth 2 alerts when the legal representative of a company W holds "
        "30 % of is sanctioned (W → holding → company → legal representative), and not for a change elsewhere.\n\n"
        "Roles: `department` (its region's subjects and regions: another subject is 404 as unknown, another region "
        "403), `investigator`, `admin`. A watch belongs to its key: other keys (but admin) do not see it."
    ),
    responses={201: {"content": {"application/json": {"example": EXAMPLE_WATCH}}},
               **responses(401, 403, 404, 422, 503, 504)},
)
async def post_watch(
    body: WatchIn = Body(openapi_examples={
        "a company and its neighbourhood": {"value": {"subjects": ["91431002MA4L2HJ36R"], "depth": 2}},
        "a region, bids only": {"value": {"regions": ["431002"], "actions": ["public_procurement_bid"]}},
        "depth out of range": {"summary": "422 naming depth", "value": {"subjects": ["91431002MA4L2HJ36R"], "depth": 3}},
    }),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*WATCHERS)),
):
    response = json_response(Watch(**await watches.make(graph, caller, body.model_dump(), settings)))
    response.status_code = 201
    return response


@router.get("", response_model=WatchList, summary="The watches of this key (admin: every key's)",
            description="The active watches the calling key made, newest first (an admin key: every key's), at most "
                        "CREDIT_GRAPH_WATCHES_PAGE_SIZE. The webhook's secret is not shown again.",
            responses={**ok({"items": [EXAMPLE_WATCH]}), **responses(401, 403, 503, 504)})
async def get_watches(graph: Graph = Depends(get_graph), settings: ServiceSettings = Depends(get_settings),
                      caller: Caller = Depends(require_role(*WATCHERS))):
    return json_response(WatchList(items=await watches.listed(graph, caller, settings.watches_page_size)))


@router.get("/{watch_id}", response_model=Watch, summary="A watch",
            description="A watch of the calling key (an admin key: any), deleted ones too; another key's answers 404 "
                        "as an unknown id.",
            responses={**ok(EXAMPLE_WATCH), **responses(401, 403, 404, 503, 504)})
async def get_watch(watch_id: str = WATCH_ID, graph: Graph = Depends(get_graph),
                    caller: Caller = Depends(require_role(*WATCHERS))):
    return json_response(Watch(**await watches.get(graph, caller, watch_id)))


@router.delete("/{watch_id}", response_model=Watch, summary="End a watch (its alerts stay readable)",
               description="The watch alerts no more and its webhook is no longer called; its alerts and delivery "
                           "log stay readable by its key.",
               responses={**ok(EXAMPLE_WATCH), **responses(401, 403, 404, 503, 504)})
async def delete_watch(watch_id: str = WATCH_ID, graph: Graph = Depends(get_graph),
                       caller: Caller = Depends(require_role(*WATCHERS))):
    return json_response(Watch(**await watches.delete(graph, caller, watch_id)))


@router.get(
    "/{watch_id}/alerts",
    response_model=AlertPage,
    summary="A watch's alerts, in change-set order",
    description=("Alerts of change sets after `since` (a sequence number), or after `cursor` (`next_cursor` of the "
                 "previous page, always given). An alert is readable within about a second of the write that caused "
                 "it (the alerter follows the change log in the background)."),
    responses={**ok({"items": [EXAMPLE_ALERT], "limit": 100, "next_cursor": "eyJzZXQiOjQzMDB9"}),
               **responses(401, 403, 404, 422, 503, 504)},
)
async def get_alerts(
    watch_id: str = WATCH_ID,
    since: int | None = Query(None, ge=0, description="alerts of change sets after this sequence number", examples=[0]),
    cursor: str | None = Query(None, description="`next_cursor` of the previous page"),
    limit: int = Query(100, ge=1, le=1000, description="alerts per page"),
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role(*WATCHERS)),
):
    return json_response(AlertPage(**await watches.alerts(graph, caller, watch_id, since, cursor, limit)))


@router.get("/{watch_id}/deliveries", response_model=DeliveryList, summary="The webhook's delivery log, newest first",
            description="Every attempt to deliver an alert to the watch's webhook: the alert, the attempt's number, "
                        "`delivered`, `retry` (tried again after the backoff) or `failed` (gave up), the receiver's "
                        "status code or the error, and how long it took.",
            responses={**ok({"items": [{"alert_id": EXAMPLE_ALERT["alert_id"], "attempt": 1, "outcome": "delivered",
                                        "status_code": 204, "error": None, "ms": 12,
                                        "at": "2026-12-06T09:14:04.101Z"}]}),
                       **responses(401, 403, 404, 503, 504)})
async def get_deliveries(watch_id: str = WATCH_ID, limit: int = Query(100, ge=1, le=1000),
                         graph: Graph = Depends(get_graph), caller: Caller = Depends(require_role(*WATCHERS))):
    return json_response(DeliveryList(items=await watches.deliveries(graph, caller, watch_id, limit)))


@router.post("/{watch_id}/webhook/enable", response_model=Watch,
             summary="Enable a webhook again (after repeated failures); alerts that gave up are retried",
             description="A webhook is disabled after CREDIT_GRAPH_WEBHOOK_MAX_FAILURES alerts in a row gave up. Its "
                         "owner enables it here: the failure count starts from zero and the alerts that gave up or "
                         "waited are delivered again. 409 `no_webhook` for a watch without one.",
             responses={**ok(EXAMPLE_WATCH), **responses(401, 403, 404, 503, 504), **_NO_WEBHOOK})
async def enable_webhook(watch_id: str = WATCH_ID, graph: Graph = Depends(get_graph),
                         caller: Caller = Depends(require_role(*WATCHERS))):
    return json_response(Watch(**await watches.enable_webhook(graph, caller, watch_id)))
