"""The workflow routers' shared calls: running workflow plans, and holding a request to the key's
region scope (a region asked, a record acted on).

Writes run as plans on the API's async driver: they share the loader's writers
(graph_service.propagation.writes) and take the record's write lock inside one transaction
(docs/workflow.md).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from fastapi import Request

from graph_service.access.caller import Caller
from graph_service.api.errors import ApiError, ErrorBody
from graph_service.runner import Graph, Plan
from graph_service.scope_reads import notification_scope, record_scope, region_codes
from graph_service.workflow.calendar import CalendarUnknown

__all__ = ["CONFLICT", "READERS", "WRITERS", "actor", "check_scope", "read", "readable", "record_scope",
           "region_codes", "scoped_region", "translated", "visible_notification", "visible_record", "write"]

WRITERS = ("department", "admin")
READERS = ("department", "investigator", "admin")

CONFLICT = {409: {"model": ErrorBody, "description": "The action does not fit the record's current state "
                                                      "(e.g. an objection already open, a resolved objection)",
                  "content": {"application/json": {"example": {"error": {
                      "code": "objection_open", "message": "record HN431000-2026-B0001 already has an open objection",
                      "field": None}}}}}}


# --- running workflow plans ------------------------------------------------------------------

@contextlib.contextmanager
def translated(date_field: str | None = None):
    """The request field a calendar refusal names; every workflow error is a ServiceError, which
    api/errors.py answers with."""
    try:
        yield
    except CalendarUnknown as exc:
        exc.field = date_field
        raise


async def write(request: Request, make_plan: Callable[[], Plan[Any]], date_field: str | None = None) -> Any:
    # Workflow writes on one record from several departments at once deadlock now and then (a
    # transient error the driver retries): they get a longer retry window than reads.
    graph: Graph = request.app.state.graph
    with translated(date_field):
        return await graph.write_plan(make_plan, retry_s=request.app.state.settings.write_retry_s)


async def read(graph: Graph, make_plan: Callable[[], Plan[Any]], date_field: str | None = None) -> Any:
    with translated(date_field):
        return await graph.read_plan(make_plan)


def actor(caller: Caller) -> str:
    return caller.key_id or "anonymous"


def check_scope(caller: Caller, codes: list[str], what: str, field: str | None = None) -> None:
    caller.check_region(codes, what, field)


def readable(scope: dict[str, list[str]]) -> list[str]:
    """The regions whose keys may read a record: its authority's, its subject's, those it reaches."""
    return scope["authority_codes"] + scope["subject_codes"] + scope["reached_codes"]


async def visible_record(graph: Graph, caller: Caller, record_id: str) -> dict[str, list[str]]:
    """The record's scope; 404 as for an unknown record when the key may not read it (a 403 would
    tell that it exists: issue 15 item 5). A key that may read it but not act on it gets 403."""
    scope = await record_scope(graph, record_id)
    caller.check_visible(readable(scope), ApiError(404, "not_found", f"no record {record_id}", "record_id"))
    return scope


async def visible_notification(graph: Graph, caller: Caller, notification_id: str) -> None:
    """404 as for an unknown notification when the key may not read it: its id names a record."""
    codes = await notification_scope(graph, notification_id)
    caller.check_visible(codes, ApiError(404, "not_found", f"no notification {notification_id}", "notification_id"))


async def scoped_region(graph: Graph, caller: Caller, region: str | None) -> str | None:
    """The region asked about, held to the key's scope (the key's region when none is asked)."""
    if region is None:
        return caller.region_code
    if caller.region_code is not None:
        codes = await region_codes(graph, region)
        if not codes:
            raise ApiError(422, "invalid_request", f"region: unknown region code {region}", "region")
        check_scope(caller, codes, f"region {region}", "region")
    return region
