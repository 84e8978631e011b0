"""7-day double publicity (7天双公示; policy item 4, domain.md 6).

A decision is published online within 7 working days of the decision date (first day not
counted). A record published later is `late`; one not published and past its deadline on `as_of`
is `unpublished_overdue`; one not yet due is `pending`. A deadline the official calendar cannot
give (a year it does not know) is `unknown_calendar`: reported as such, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from graph_service.runner import Plan, Step
from graph_service.workflow.calendar import CalendarUnknown, add_working_days

PUBLICATION_WORKING_DAYS = 7
OUTCOMES = ("on_time", "late", "unpublished_overdue", "pending", "unknown_calendar")


@dataclass(frozen=True)
class Publication:
    record_id: str
    authority_id: str
    decided_on: dt.date
    published_on: dt.date | None
    deadline: dt.date | None
    outcome: str
    days_late: int | None = None  # calendar days past the deadline (late or unpublished_overdue)

    def as_dict(self) -> dict[str, Any]:
        return {"record_id": self.record_id, "authority_id": self.authority_id, "decided_on": self.decided_on,
                "published_on": self.published_on, "deadline": self.deadline, "outcome": self.outcome,
                "days_late": self.days_late}


def judge(record_id: str, authority_id: str, decided_on: dt.date, published_on: dt.date | None,
          as_of: dt.date) -> Publication:
    try:
        deadline = add_working_days(decided_on, PUBLICATION_WORKING_DAYS)
    except CalendarUnknown:
        return Publication(record_id, authority_id, decided_on, published_on, None, "unknown_calendar")
    if published_on is not None and published_on <= as_of:
        if published_on <= deadline:
            return Publication(record_id, authority_id, decided_on, published_on, deadline, "on_time")
        return Publication(record_id, authority_id, decided_on, published_on, deadline, "late",
                           (published_on - deadline).days)
    if as_of > deadline:
        return Publication(record_id, authority_id, decided_on, None, deadline, "unpublished_overdue",
                           (as_of - deadline).days)
    return Publication(record_id, authority_id, decided_on, None, deadline, "pending")


@dataclass
class PublicationReport:
    as_of: dt.date
    counts: dict[str, dict[str, int]]  # authority_id → outcome → count (every outcome, and total)
    flagged: list[Publication]  # late and unpublished_overdue, most days late first

    def as_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of, "counts": self.counts, "flagged": [p.as_dict() for p in self.flagged]}


def report(*, as_of: dt.date, date_from: dt.date, date_to: dt.date, region_code: str | None = None,
           authority_id: str | None = None, kinds: list[str] | None = None) -> Plan[PublicationReport]:
    rows = yield Step("workflow/publication_facts", {
        "from": date_from, "to": date_to, "region_code": region_code, "authority_id": authority_id,
        "kinds": kinds})
    judged = [judge(r["record_id"], r["authority_id"], r["decided_on"], r["published_on"], as_of) for r in rows]
    counts: dict[str, Counter] = {}
    for p in judged:
        c = counts.setdefault(p.authority_id, Counter())
        c[p.outcome] += 1
        c["total"] += 1
    flagged = sorted((p for p in judged if p.outcome in ("late", "unpublished_overdue")),
                     key=lambda p: (-(p.days_late or 0), p.authority_id, p.record_id))
    return PublicationReport(
        as_of, {a: {k: c.get(k, 0) for k in (*OUTCOMES, "total")} for a, c in sorted(counts.items())}, flagged)
