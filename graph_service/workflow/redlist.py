"""Red list and green channel (policy items 5-8 and 18).

Red list membership on a day: a red record in force, not suspended by an objection, and whose
incentives were not lost. Propagation materialises the loss (`Liability.lost_on`: the first day
the subject has a black record in force, or its legal representative is bound by a black
record's personal-record measure; docs/propagation.md); the list reads it, so both agree.

Green channel (绿色通道, 容缺受理; item 6): exemplary subjects (on the red list that day) and
subjects with three consecutive years without bad credit records. A bad record is a black or
penalty record about the subject, or a black record entered in its personal credit record
(item 15: a liability carrying the personal-record measure). It counts while in force, from its
decision to its end (valid_until, or the repair or revocation day); a revoked record never counts
(it was wrong), nor does one on the days its measures are suspended by an objection (item 21).
An enterprise established less than three years before the day has not had three years.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graph_service.domain.catalogue import catalogue
from graph_service.domain.periods import add_months
from graph_service.runner import Plan, Step, one
from graph_service.workflow.store import NotFound

CLEAN_YEARS = 3
BAD_KINDS = ("black", "penalty")


_Beyond = TypeVar("_Beyond", bound=dt.date | None)


def _months_or(d: dt.date, months: int, beyond: _Beyond) -> dt.date | _Beyond:
    """d plus months, or `beyond` past the ends of the calendar (year 1 or 9999)."""
    try:
        return add_months(d, months)
    except ValueError:
        return beyond


def _end(r: dict[str, Any]) -> dt.date | None:
    """First day not in force (exclusive end), None when open."""
    ends = []
    if r.get("valid_until") is not None and r["valid_until"] < dt.date.max:
        ends.append(r["valid_until"] + dt.timedelta(days=1))
    if r.get("ended_on") is not None:
        ends.append(r["ended_on"])
    return min(ends) if ends else None


def _suspended(r: dict[str, Any], d: dt.date) -> bool:
    return any(o["notice_on"] <= d and (o.get("resolved_on") is None or d < o["resolved_on"])
               for o in r.get("objections") or [])


def red_listed_on(r: dict[str, Any], d: dt.date) -> bool:
    if r["kind"] != "red" or r["decided_on"] > d:
        return False
    end = _end(r)
    if end is not None and d >= end:
        return False
    if any(lost <= d for lost in r.get("lost_on") or []):
        return False
    return not _suspended(r, d)


@dataclass(frozen=True)
class BadSpell:
    record_id: str
    kind: str
    via: str  # "own" or "personal_record" (liability <rule>)
    start: dt.date
    end: dt.date | None  # exclusive; None: still in force

    def as_dict(self) -> dict[str, Any]:
        return {"record_id": self.record_id, "kind": self.kind, "via": self.via, "from": self.start,
                "until": self.end}


@dataclass
class GreenChannel:
    subject_id: str
    subject_kind: str
    as_of: dt.date
    eligible: bool
    basis: list[str] = field(default_factory=list)  # red_list, three_years_clean
    red_records: list[str] = field(default_factory=list)
    clean_since: dt.date | None = None  # the current clean spell began (None: not clean on as_of)
    eligible_from: dt.date | None = None  # when the three-year route opens (or opened)
    blocking: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    region_codes: list[str] = field(default_factory=list)  # the subject's region and its ancestors


def _spells(facts: dict[str, Any], as_of: dt.date, notes: list[str]) -> list[BadSpell]:
    spells: list[BadSpell] = []

    def add(rec: dict[str, Any], kind: str, via: str, start: dt.date, end: dt.date | None) -> None:
        if rec.get("status") == "revoked":
            return
        if start > as_of or (end is not None and end <= start):
            return
        # Days under objection do not count against the subject: cut the spell around them.
        windows = sorted((o["notice_on"], o.get("resolved_on")) for o in rec.get("objections") or [])
        cur = start
        for notice, resolved in windows:
            if end is not None and notice >= end:
                break
            if notice > cur:
                spells.append(BadSpell(rec["record_id"], kind, via, cur, notice))
            if resolved is None:
                notes.append(f"record {rec['record_id']} is under objection since {notice}: "
                             "not counted while it is verified")
                return
            cur = max(cur, resolved)
        if end is None or cur < end:
            spells.append(BadSpell(rec["record_id"], kind, via, cur, end))

    for r in facts["records"]:
        if r["kind"] in BAD_KINDS and r.get("decided_on") is not None:
            add(r, r["kind"], "own", r["decided_on"], _end(r))
    for li in facts["liabilities"]:
        rec = li["record"]
        start = max(li["valid_from"], rec["decided_on"]) if li.get("valid_from") else rec["decided_on"]
        ends = [e for e in (li.get("valid_to"), _end(rec)) if e is not None]
        add(rec, rec["kind"], f"personal_record ({li['rule_id']})", start, min(ends) if ends else None)
    return spells


def assess_green_channel(subject_id: str, facts: dict[str, Any], as_of: dt.date) -> GreenChannel:
    g = GreenChannel(subject_id, facts["subject_kind"], as_of, False,
                     region_codes=list(facts.get("region_codes") or []))
    g.red_records = [r["record_id"] for r in facts["records"] if red_listed_on(r, as_of)]
    if g.red_records:
        g.basis.append("red_list")
    spells = _spells(facts, as_of, g.notes)
    window_start = _months_or(as_of, -12 * CLEAN_YEARS, dt.date.min)
    # A spell blocks when it overlaps [as_of - 3 years, as_of].
    blocking = [s for s in spells if s.start <= as_of and (s.end is None or s.end > window_start)]
    g.blocking = [s.as_dict() for s in blocking]
    ongoing = [s for s in spells if s.start <= as_of and (s.end is None or s.end > as_of)]
    if not ongoing:
        last_end = max((s.end for s in spells if s.end is not None and s.end <= as_of), default=None)
        starts = [d for d in (last_end, facts.get("established_on")) if d is not None]
        g.clean_since = max(starts) if starts else None  # None: clean as far back as anything is known
        if g.clean_since is not None:
            g.eligible_from = _months_or(g.clean_since, 12 * CLEAN_YEARS, None)
    est = facts.get("established_on")
    if not blocking and not ongoing:
        if est is not None and est > window_start:
            g.notes.append(f"established on {est}: less than {CLEAN_YEARS} years before {as_of}")
        else:
            g.basis.append("three_years_clean")
    g.eligible = bool(g.basis)
    return g


LEGAL_BASIS = "郴政发〔2017〕11号 第6项"


def explanation(g: GreenChannel) -> dict[str, Any]:
    """Why the subject is eligible or not: the same in the list's answer and in a check's."""
    return {"rule": "green_channel", "eligible": g.eligible, "basis": g.basis, "red_records": g.red_records,
            "clean_since": g.clean_since, "eligible_from": g.eligible_from, "blocking": g.blocking,
            "notes": g.notes, "legal_basis": LEGAL_BASIS}


def decide(answer: dict[str, Any], g: GreenChannel, favour_measures: list[dict[str, Any]]) -> dict[str, Any]:
    """A check's answer (credit.decide) for an action of this rule: favoured exactly when the
    subject is eligible, unless a measure in force restricts the action; the explanation beside."""
    answer["eligibility"] = explanation(g)
    if answer["decision"] == "restricted":
        return answer
    answer["decision"] = "favoured" if g.eligible else "clear"
    if g.eligible and not answer["measures"]:
        answer["measures"] = favour_measures  # three clean years: the incentive itself, no record behind it
    elif not g.eligible:
        answer["measures"] = []
    return answer


def green_channel(subject_id: str, as_of: dt.date) -> Plan[GreenChannel]:
    facts = one((yield Step("workflow/green_channel_facts", {
        "subject_id": subject_id, "personal_record": catalogue().associated_risk.liable_measure})))
    if facts is None:
        raise NotFound("subject", subject_id)
    return assess_green_channel(subject_id, facts, as_of)
