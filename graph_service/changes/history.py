"""The history of an enterprise or a person (GET /v1/enterprises/{uscc}/history,
/v1/persons/{person_id}/history): the change-log entries about it, oldest first, each with who
reported it (docs/changes.md)."""

from __future__ import annotations

from typing import Any

from graph_service import subjects
from graph_service.access.caller import Caller
from graph_service.changes.feed import FeedQuery, page
from graph_service.errors import not_found
from graph_service.runner import Graph


async def of(graph: Graph, caller: Caller, kind: str, subject_id: str, q: FeedQuery, field: str) -> dict[str, Any]:
    """A page of the subject's entries; 404 for an unknown subject or one outside the key's region
    (as its facts answer)."""
    found = await graph.read_tx(subjects.regions_of, [subject_id])
    regions = found.get((subject_id, kind))
    if regions is None or not caller.in_region(regions):
        raise not_found(kind, field, subject_id)
    return await page(graph, FeedQuery(q.after, q.limit, None, subject_id, q.kinds), 0)
