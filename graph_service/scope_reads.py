"""The region codes that scope a workflow request: a region and its ancestors, a record's regions,
a notification's region."""

from __future__ import annotations

from graph_service.errors import Refused
from graph_service.runner import Graph


async def region_codes(graph: Graph, code: str) -> list[str]:
    """A region and its ancestors (empty when the code is unknown)."""
    row = await graph.read_one("regions/ancestors", code=code)
    return row["codes"] if row else []


async def record_scope(graph: Graph, record_id: str) -> dict[str, list[str]]:
    """The region codes of the record's authority, subject and reached regions; 404 when unknown."""
    row = await graph.read_one("workflow/record_scope", record_id=record_id)
    if row is None:
        raise Refused(404, "not_found", f"no record {record_id}", "record_id")
    return row


async def notification_scope(graph: Graph, notification_id: str) -> list[str]:
    """The notification's region and its ancestors; 404 when unknown."""
    row = await graph.read_one("workflow/notification", notification_id=notification_id)
    if row is None:
        raise Refused(404, "not_found", f"no notification {notification_id}", "notification_id")
    code = row["notification"].get("region_code")
    return await region_codes(graph, code) if code else []
