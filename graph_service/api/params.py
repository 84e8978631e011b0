"""Query parameters shared by the investigator routers, validated against the named settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from graph_service.api.errors import ApiError


def bounded(value: int | None, default: int, low: int, high: int, field: str) -> int:
    """`value` (or `default`) within [low, high]; 422 naming `field` otherwise."""
    v = default if value is None else value
    if not low <= v <= high:
        raise ApiError(422, "invalid_request", f"{field}: must be between {low} and {high}, got {v}", field)
    return v


def page_offset(value: int | None, max_offset: int, field: str = "offset") -> int:
    """Rows to skip: 0 to CREDIT_GRAPH_MAX_OFFSET (a larger one would overflow Neo4j's 64-bit SKIP)."""
    return bounded(value, 0, 0, max_offset, field)


def cursor_offset(state: dict | None, max_offset: int) -> int:
    """The offset a `next_cursor` carries (0 without a cursor); 422 `invalid_cursor` for anything a
    previous page cannot have given: not an int, negative, or beyond CREDIT_GRAPH_MAX_OFFSET."""
    if state is None:
        return 0
    offset = state.get("offset")
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= max_offset:
        raise ApiError(422, "invalid_cursor", "cursor: not a cursor returned by a previous page", "cursor")
    return offset


def choices(values: Iterable[str] | None, allowed: Iterable[str], field: str, default: Iterable[str] | None = None) -> list[str]:
    """A list parameter given repeated or comma-separated (`relations=role,shareholding`), each
    among `allowed`, in the order of `allowed`, without repeats; `default` (all) when absent."""
    allowed = list(allowed)
    if not values:
        return list(default if default is not None else allowed)
    asked = [v.strip() for raw in values for v in raw.split(",") if v.strip()]
    for v in asked:
        if v not in allowed:
            raise ApiError(422, "invalid_request", f"{field}: unknown value {v!r}; expected among {', '.join(allowed)}",
                           field)
    if not asked:
        return list(default if default is not None else allowed)
    return [a for a in allowed if a in asked]


def day(as_of: dt.date | None) -> dt.date:
    return as_of or dt.date.today()
