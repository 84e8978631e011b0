"""Reading the change log: the feed (GET /v1/changes, `credit-graph changes`) and the histories of
enterprises and persons, with one cursor, the sequence number to read after (docs/changes.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from graph_service import cursors
from graph_service.changelog import KINDS
from graph_service.errors import ServiceError
from graph_service.runner import Graph

FAMILIES = sorted({k.split(".")[0] for k in KINDS})


class FeedQueryError(ServiceError, ValueError):
    status, code = 422, "invalid_request"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", field=field)


def parse_kinds(text: str | None) -> list[str] | None:
    """Kinds (`record.revoked`) and families (`record`: every record.* kind), comma-separated."""
    if text is None or not text.strip():
        return None
    out: set[str] = set()
    for word in (w.strip() for w in text.split(",")):
        if not word:
            continue
        if word in KINDS:
            out.add(word)
        elif word in FAMILIES:
            out.update(k for k in KINDS if k.startswith(word + "."))
        else:
            raise FeedQueryError("kinds", f"unknown kind {word!r}; kinds are {', '.join(KINDS)} "
                                          f"or a family: {', '.join(FAMILIES)}")
    return sorted(out)


@dataclass(frozen=True)
class FeedQuery:
    after: int
    limit: int
    region: str | None = None
    subject: str | None = None
    kinds: list[str] | None = None

    @classmethod
    def of(cls, *, since: int | None, cursor: str | None, limit: int | None, region: str | None,
           subject: str | None, kinds: str | None, default_limit: int, max_limit: int) -> FeedQuery:
        """`cursor` (a page's `next_cursor`) or `since` (a sequence number: the entries after it)."""
        if cursor is not None and since is not None:
            raise FeedQueryError("cursor", "give `since` or `cursor`, not both")
        after = 0
        if cursor is not None:
            state = cursors.decode(cursor) or {}
            found = state.get("after")
            if not isinstance(found, int) or isinstance(found, bool) or found < 0:
                raise cursors.InvalidCursor()
            after = found
        elif since is not None:
            if since < 0:
                raise FeedQueryError("since", "a sequence number, 0 or more")
            after = since
        n = default_limit if limit is None else limit
        if not 1 <= n <= max_limit:
            raise FeedQueryError("limit", f"between 1 and {max_limit}")
        return cls(after, n, region, subject, parse_kinds(kinds))


    def statement(self, scan: int) -> tuple[str, dict[str, Any]]:
        """The statement reading the page and its parameters."""
        params = {"after": self.after, "limit": self.limit, "region": self.region, "kinds": self.kinds}
        if self.subject is not None:
            return "changes/feed_subject", {**params, "subject": self.subject}
        # Without a filter every entry looked at is answered: look at no more than a page.
        unfiltered = self.region is None and self.kinds is None
        return "changes/feed", {**params, "scan": self.limit if unfiltered else max(scan, self.limit)}

    def answer(self, row: dict[str, Any]) -> dict[str, Any]:
        """A page of the feed: entries, `next_cursor` (always: where to go on from, caught up or
        not), `last_seq` (the same as a number) and `caught_up` (nothing after it yet)."""
        return {"items": [entry_of(r) for r in row["entries"]], "limit": self.limit, "last_seq": row["last"],
                "next_cursor": cursors.encode({"after": row["last"]}), "caught_up": row["end"]}


def entry_of(row: dict[str, Any]) -> dict[str, Any]:
    """An entry as the API and the command line give it: before and after as objects."""
    out = dict(row)
    for k in ("before", "after"):
        out[k] = json.loads(row[k]) if row.get(k) else None
    if out.get("effective_on") is None:
        out.pop("effective_on", None)
    return out


async def page(graph: Graph, q: FeedQuery, scan: int) -> dict[str, Any]:
    name, params = q.statement(scan)
    row = await graph.read_one(name, **params)
    assert row is not None
    return q.answer(row)
