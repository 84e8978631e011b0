"""Reading the audit log of person-level reads (GET /v1/audit and `credit-graph audit`).

Both ask cypher/audit/search.cypher with the same parameters, made here: the filters, the time
range and the keyset cursor. Times are ISO 8601 days or date-times only (an integer is not a
time); one without an offset is China Standard Time (UTC+8), where the service's days run.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from graph_service import cursors
from graph_service.domain.vocabulary import AUDIT_SUBJECT_KINDS as SUBJECT_KINDS
from graph_service.errors import ServiceError
from graph_service.runner import Graph

_NEO4J_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?"
                             r"(Z|[+-]\d{2}:\d{2})(\[[A-Za-z_/+-]+\])?")
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


class AuditQueryError(ServiceError, ValueError):
    status = 422

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", code="invalid_cursor" if field == "cursor" else "invalid_request")
        self.field, self.message = field, message


def parse_time(text: str | None, field: str, *, end_of_day: bool = False) -> dt.datetime | None:
    """An ISO day (`2026-12-01`: its start, or the next day's start with `end_of_day`) or date-time
    (`2026-12-01T08:30:00+08:00`); AuditQueryError naming `field` otherwise."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            start = dt.datetime.combine(day, dt.time(), CHINA)
            if end_of_day:
                return start + dt.timedelta(days=1) if day < dt.date.max else dt.datetime.max.replace(tzinfo=CHINA)
            return start
        if "T" not in text and " " not in text:
            raise ValueError
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        raise AuditQueryError(field, f"expected an ISO day (2026-12-01) or date-time (2026-12-01T08:30:00+08:00), "
                                     f"got {text!r}") from None
    return at if at.tzinfo is not None else at.replace(tzinfo=CHINA)


def encode_cursor(at_text: str, audit_id: str) -> str:
    return cursors.encode({"at": at_text, "id": audit_id})


def decode_cursor(cursor: str | None) -> tuple[str, str] | None:
    try:
        state = cursors.decode(cursor)
    except cursors.InvalidCursor:
        raise AuditQueryError("cursor", "not a cursor returned by a previous page") from None
    if state is None:
        return None
    at, audit_id = state.get("at"), state.get("id")
    # Neo4j's text of a datetime, nothing else: the statement reads it back with datetime().
    if not (isinstance(at, str) and _NEO4J_DATETIME.fullmatch(at) and isinstance(audit_id, str)):
        raise AuditQueryError("cursor", "not a cursor returned by a previous page")
    return at, audit_id


@dataclass(frozen=True)
class AuditQuery:
    key_id: str | None = None
    subject_id: str | None = None
    subject_kind: str | None = None
    purpose: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = 100
    after: tuple[str, str] | None = None

    @classmethod
    def of(cls, *, key_id: str | None, subject_id: str | None, subject_kind: str | None, purpose: str | None,
           since: str | None, until: str | None, limit: int | None, cursor: str | None, default_limit: int,
           max_limit: int) -> AuditQuery:
        """The query of the request's (or the command line's) fields, each checked."""
        n = default_limit if limit is None else limit
        if not 1 <= n <= max_limit:
            raise AuditQueryError("limit", f"must be between 1 and {max_limit} (CREDIT_GRAPH_AUDIT_MAX_PAGE_SIZE), "
                                           f"got {n}")
        if subject_kind is not None and subject_kind not in SUBJECT_KINDS:
            raise AuditQueryError("subject_kind", f"expected one of {', '.join(SUBJECT_KINDS)}, got {subject_kind!r}")
        start, end = parse_time(since, "since"), parse_time(until, "until", end_of_day=True)
        if start is not None and end is not None and end <= start:
            raise AuditQueryError("until", "must be later than `since`")
        return cls(key_id or None, subject_id or None, subject_kind, purpose or None, start, end, n,
                   decode_cursor(cursor))

    def params(self) -> dict[str, Any]:
        """The statement's parameters; one entry more than the page, to tell whether more follow."""
        after_at, after_id = self.after if self.after else (None, None)
        return {"key_id": self.key_id, "subject_id": self.subject_id, "subject_kind": self.subject_kind,
                "purpose": self.purpose, "since": self.since, "until": self.until, "after_at": after_at,
                "after_id": after_id, "limit": self.limit + 1}

    def page(self, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str | None]:
        """The entries of the page and the cursor of the next one (None on the last)."""
        if len(rows) > self.limit:
            last = rows[self.limit - 1]
            return [r["entry"] for r in rows[:self.limit]], encode_cursor(last["at_text"], last["entry"]["audit_id"])
        return [r["entry"] for r in rows], None


async def search(graph: Graph, q: AuditQuery) -> tuple[list[dict[str, Any]], str | None]:
    """A page of the log for `q` and the cursor of the next one."""
    return q.page(await graph.read("audit/search", **q.params()))


async def record_read(graph: Graph, key_id: str | None, role: str, purpose: str | None, endpoint: str,
                      subject_kind: str, subject_id: str, as_of: dt.date | None = None) -> None:
    """One entry of a person-level read (the caller checked the purpose)."""
    await graph.write("audit/write", audit_id=str(uuid.uuid4()), key_id=key_id, role=role, purpose=purpose,
                      endpoint=endpoint, subject_kind=subject_kind, subject_id=subject_id, as_of=as_of)


async def record_reads(graph: Graph, key_id: str | None, role: str, purpose: str | None, endpoint: str,
                       person_ids: list[str], as_of: dt.date | None = None) -> None:
    """One entry per person of an answer naming several."""
    await graph.write("audit/write_many", key_id=key_id, role=role, purpose=purpose, endpoint=endpoint,
                      subject_kind="person", subject_ids=person_ids, as_of=as_of)
