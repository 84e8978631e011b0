"""Published black and red lists (policy item 18; issue 5 item 6).

Only records in force on `as_of` and not suspended by an objection under verification; a red
record leaves the list on the day its incentives were lost (redlist.py). Masking for the public
role is the API's job (graph_service.api.privacy).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from graph_service.runner import Graph, Plan, Step, one
from graph_service.workflow.records import InvalidInput

LIST_KINDS = ("black", "red")
REGION_BY = ("authority", "subject")


def listed(kind: str, *, as_of: dt.date, region_code: str | None = None, by: str = "authority",
           category: str | None = None, skip: int = 0, limit: int = 100) -> Plan[tuple[list[dict[str, Any]], int]]:
    if kind not in LIST_KINDS:
        raise InvalidInput("kind", f"must be one of {', '.join(LIST_KINDS)}")
    if by not in REGION_BY:
        raise InvalidInput("by", f"must be one of {', '.join(REGION_BY)}")
    row = one((yield Step("workflow/list_records", {
        "kind": kind, "as_of": as_of, "region_code": region_code, "by": by, "category": category,
        "skip": skip, "limit": limit})))
    return row["items"], row["total"]


async def every_row(graph: Graph, kind: str, *, as_of: dt.date, region_code: str | None, by: str,
                    category: str | None, page: int) -> list[dict[str, Any]]:
    """The whole list (the CSV export), read `page` rows at a time, each page in a read of its own."""
    rows: list[dict[str, Any]] = []
    while True:
        items, total = await graph.read_plan(functools.partial(
            listed, kind, as_of=as_of, region_code=region_code, by=by, category=category, skip=len(rows), limit=page))
        rows += items
        if not items or len(rows) >= total:
            return rows
