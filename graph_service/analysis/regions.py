"""Reads about a region: it and its ancestors held to the key's scope, and the records crossing its
border both ways (GET /v1/regions/{code}/links)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graph_service.access.caller import Caller
from graph_service.cursors import InvalidCursor
from graph_service.errors import not_found
from graph_service.runner import Graph, rows_async

DIRECTIONS = ("incoming", "outgoing")


async def region_in_scope(tx: Any, caller: Caller, code: str, field: str) -> dict[str, Any]:
    """The region (name, level, ancestors); 404 naming `field` when unknown, 403 outside the key's region."""
    region = await rows_async(tx, "regions/links_region", code=code)
    if not region:
        raise not_found("region", field, code)
    caller.check_region([code, *region[0]["ancestors"]], f"region {code}", field)
    return region[0]


@dataclass
class Links:
    region: dict[str, Any]
    pages: dict[str, list[dict[str, Any]]]  # direction -> up to `limit` rows, after the cursor's record
    next_after: dict[str, str]  # direction -> the last record id of a page that has a next one
    counts: list[dict[str, Any]]  # per region reached, with its county; only on the first page


def _county(code: str, level: str | None, ancestors: list[str], levels: dict[str, str]) -> str | None:
    if level == "county":
        return code
    return next((a for a in ancestors if levels.get(a) == "county"), None)


async def links(graph: Graph, caller: Caller, code: str, as_of: dt.date, after: dict[str, Any] | None,
                limit: int) -> Links:
    """The records crossing the region's border on `as_of`, a page of each direction after `after`
    (the decoded cursor: direction -> last record id; InvalidCursor when it is not one)."""
    if after is not None and not (set(after) <= set(DIRECTIONS) and all(isinstance(v, str) for v in after.values())):
        raise InvalidCursor()
    found = await graph.read_tx(_links, caller, code, as_of, after, limit)
    nxt = {}
    for direction, rows in found.pages.items():
        if len(rows) > limit:
            found.pages[direction] = rows[:limit]
            nxt[direction] = rows[limit - 1]["record"]["record_id"]
    found.next_after = nxt
    levels = {c["code"]: c["level"] for c in found.counts}
    for c in found.counts:
        c["county"] = _county(c["code"], c["level"], c["ancestors"], levels)
    return found


async def _links(tx: Any, caller: Caller, code: str, as_of: dt.date, after: dict[str, str] | None,
                 limit: int) -> Links:
    region = await region_in_scope(tx, caller, code, "code")
    pages = {}
    for direction in DIRECTIONS:
        if after is not None and direction not in after:
            pages[direction] = []  # that list's pages are exhausted
            continue
        pages[direction] = await rows_async(tx, f"regions/links_{direction}", code=code, as_of=as_of,
                                         after=(after or {}).get(direction), limit=limit + 1)
    counts = [] if after is not None else await rows_async(tx, "regions/links_counts", code=code, as_of=as_of)
    return Links(region, pages, {}, counts)
