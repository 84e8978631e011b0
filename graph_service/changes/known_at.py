"""`known_at`: answers as the service would have given them at an earlier moment (issue 18 point 5;
docs/changes.md, "known_at").

The moment is a change-log sequence number N (a time is turned into the last N recorded by then).
The state at N is the state now with every later entry undone, newest first: a liability started
after N is dropped, one ended after N is restored from the fields its entry kept; a record's fields,
status and end day go back to their `before`; an objection filed after N did not exist, one
resolved after N was open; a subject added after N was unknown, one merged after N was not yet
merged. A check is then answered from rows shaped as `cypher/credit/check_batch.cypher` returns
them, by the very code that answers checks (graph_service.credit), so that the answer a check got
and its replay at the number it was answered at are the same.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from graph_service import credit
from graph_service.domain.catalogue import catalogue
from graph_service.errors import ServiceError
from graph_service.facts.models import holding_key, role_key
from graph_service.runner import rows_async, single_async

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
_DAYS = ("role_start", "role_end", "anchor_on", "valid_from", "valid_to", "lost_on", "released_on")
_RECORD_DAYS = ("decided_on", "valid_until", "ended_on")
_SUBJECT_KINDS = ["enterprise.added", "person.added", "enterprise.changed", "subjects.merged", "subjects.split",
                  "liability.started", "liability.ended"]


class InvalidKnownAt(ServiceError, ValueError):
    status, code = 422, "invalid_request"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", field=field)


def parse(text: str | None, field: str = "known_at") -> dt.datetime | int | None:
    """`known_at` as given: an ISO date-time (no offset: China time; a day: its end) or `seq:<n>`."""
    if text is None or not str(text).strip():
        return None
    value = str(text).strip()
    if value.startswith("seq:"):
        n = value[4:]
        if not n.isdigit():
            raise InvalidKnownAt(field, f"seq:<n> takes a sequence number, not {n!r}")
        return int(n)
    try:
        if len(value) == 10:
            moment = dt.datetime.combine(dt.date.fromisoformat(value), dt.time.max)
        else:
            moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidKnownAt(field, f"an ISO date-time (2026-12-01T09:30:00+08:00), a day, or seq:<n>; "
                                    f"not {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=CHINA)


async def seq_at(tx: Any, moment: dt.datetime | int) -> int:
    """The last sequence number recorded at or before `moment` (a number: itself, at most the last)."""
    found = await single_async(tx, "changes/last_seq")
    assert found is not None
    last: int = found["last"]
    if isinstance(moment, int):
        return min(moment, last)
    lo, hi = 0, last  # at(lo) <= moment (0: before the first entry), at(hi + 1) > moment
    if hi and await _at(tx, hi) <= moment:
        return hi
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if await _at(tx, mid) <= moment:
            lo = mid
        else:
            hi = mid - 1
    return lo


async def _at(tx: Any, seq: int) -> dt.datetime:
    row = await single_async(tx, "changes/at_seq", seq=seq)
    return dt.datetime.max.replace(tzinfo=dt.UTC) if row is None else row["at"]


def _loads(text: str | None) -> dict[str, Any]:
    return json.loads(text) if text else {}


def _day(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(v)


@dataclass
class SubjectAt:
    found: bool
    kind: str
    canonical: str | None
    liabilities: dict[str, dict[str, Any]] = field(default_factory=dict)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    objections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    subject_id: str = ""
    established_on: dt.date | None = None
    own_records: list[str] = field(default_factory=list)  # the records about the subject (now)


async def _subject(tx: Any, sid: str, n: int) -> SubjectAt:
    now = await single_async(tx, "changes/subject_now", id=sid)
    assert now is not None
    found, canonical = bool(now["found"]), now["merged_into"]
    established_on = now["established_on"]
    liabilities = {lb["liability_id"]: lb for lb in now["liabilities"]}
    for e in await rows_async(tx, "changes/about_after", id=sid, after=n, kinds=_SUBJECT_KINDS):
        e = e["entry"]
        before, after = _loads(e["before"]), _loads(e["after"])
        if e["kind"] in ("enterprise.added", "person.added") and e["key"] == sid:
            found = False
        elif e["kind"] == "enterprise.changed" and e["key"] == sid and "established_on" in before:
            established_on = _day(before["established_on"])
        elif e["kind"] == "subjects.merged" and after.get("merged_id") == sid:
            canonical = None
        elif e["kind"] == "subjects.split" and sid in (after.get("split_ids") or []):
            canonical = after.get("canonical_id")
        elif e["kind"] == "liability.started":
            liabilities.pop(e["key"], None)
        elif e["kind"] == "liability.ended":
            liabilities[e["key"]] = before
    for lb in liabilities.values():
        for k in _DAYS:
            lb[k] = _day(lb.get(k))
    return SubjectAt(found, "person" if now["is_person"] else "enterprise", canonical, liabilities,
                     subject_id=sid, established_on=established_on, own_records=list(now["own_records"]))


async def _records(tx: Any, state: SubjectAt, n: int) -> None:
    """The records of the state's liabilities and those about the subject, with their objections, at
    N (a record added after N is absent)."""
    ids = sorted({lb["record_id"] for lb in state.liabilities.values()} | set(state.own_records))
    if not ids:
        return
    for r in await rows_async(tx, "changes/records_now", ids=ids):
        state.records[r["record"]["record_id"]] = dict(r["record"])
        state.objections[r["record"]["record_id"]] = [dict(o) for o in r["objections"]]
    objection_of = {o["objection_id"]: rid for rid, os in state.objections.items() for o in os}
    for e in await rows_async(tx, "changes/keyed_after", keys=ids + sorted(objection_of), after=n):
        e = e["entry"]
        before = _loads(e["before"])
        if e["kind"] == "objection.filed":
            rid = objection_of.get(e["key"])
            if rid is not None:
                state.objections[rid] = [o for o in state.objections[rid] if o["objection_id"] != e["key"]]
        elif e["kind"] == "objection.resolved":
            for o in state.objections.get(objection_of.get(e["key"], ""), []):
                if o["objection_id"] == e["key"]:
                    o["resolved_on"] = None
        elif e["kind"] in ("record.added", "record.initiated"):
            state.records.pop(e["key"], None)
            state.objections.pop(e["key"], None)
        elif e["key"] in state.records and before:
            state.records[e["key"]].update(before)
    for r in state.records.values():
        for k in _RECORD_DAYS:
            r[k] = _day(r.get(k))
    for os in state.objections.values():
        for o in os:
            o["notice_on"], o["resolved_on"] = _day(o.get("notice_on")), _day(o.get("resolved_on"))


def _suspended(objections: list[dict[str, Any]], d: dt.date) -> bool:
    return any(o["notice_on"] is not None and o["notice_on"] <= d and (o["resolved_on"] is None or d < o["resolved_on"])
               for o in objections)


def _record_summary(r: dict[str, Any]) -> dict[str, Any]:
    return {k: r.get(k) for k in ("record_id", "kind", "category", "authority_id", "document_no", "decided_on")}


_ROW_FIELDS = ("liability_id", "rule_id", "record_id", "record_kind", "subject_kind", "role", "role_start", "role_end",
               "anchor", "anchor_on", "path", "legal_basis", "measures", "valid_from", "valid_to")
_LOST_FIELDS = ("liability_id", "rule_id", "record_id", "record_kind", "subject_kind", "role", "anchor", "anchor_on",
                "path", "legal_basis", "measures", "valid_from", "valid_to", "lost_on", "lost_record_id", "lost_path")


def check_row(state: SubjectAt, d: dt.date, measures: list[str]) -> dict[str, Any]:
    """What cypher/credit/check_batch answers for the state, on day `d`, for an action's measures."""
    ms = set(measures)
    liabilities, lost = [], []
    for lid in sorted(state.liabilities):
        lb = state.liabilities[lid]
        if not ms & set(lb.get("measures") or []):
            continue
        r = state.records.get(lb["record_id"])
        if r is None:
            continue
        if lb["valid_from"] <= d and (lb.get("valid_to") is None or d < lb["valid_to"]):
            row = {k: lb.get(k) for k in _ROW_FIELDS}
            row["record"] = _record_summary(r)
            row["suspended"] = _suspended(state.objections.get(lb["record_id"], []), d)
            liabilities.append(row)
        ended = r["status"] in ("revoked", "repaired") and r.get("ended_on") is not None and r["ended_on"] <= d
        if (lb.get("lost_on") is not None and lb["lost_on"] <= d and r["decided_on"] <= d
                and (r.get("valid_until") is None or d <= r["valid_until"]) and not ended):
            row = {k: lb.get(k) for k in _LOST_FIELDS}
            row["record"] = _record_summary(r)
            lost.append(row)
    return {"liabilities": liabilities, "lost": lost}


async def check(tx: Any, subject_id: str, action: str, as_of: dt.date, n: int) -> dict[str, Any]:
    """The check of `subject_id` for `action` on `as_of` as the service would have answered it at
    sequence number `n` (graph_service.credit.check's answer). Raises UnknownSubject, UnknownAction."""
    cat = catalogue()
    if action not in cat.actions:
        raise credit.UnknownAction(f"unknown action {action!r}; one of: {', '.join(cat.actions)}")
    state = await _subject(tx, subject_id, n)
    if not state.found:
        raise credit.UnknownSubject(f"no enterprise or person {subject_id!r}")
    bound = state if state.canonical is None else await _subject(tx, state.canonical, n)
    await _records(tx, bound, n)
    row = {"is_enterprise": state.kind == "enterprise", "is_person": state.kind == "person",
           "canonical": state.canonical, **check_row(bound, as_of, credit.action_measures(action, cat))}
    # The answer's liabilities are those of the subject's kind (credit._answer): a merged subject's
    # are its canonical one's, of the same kind.
    answer = credit.answer_of(row, subject_id, action, as_of, cat)
    if cat.actions[action].eligibility != "green_channel":
        return answer
    return await credit.eligibility(tx, answer, cat, _green_channel_facts(bound, cat.associated_risk.liable_measure))


def _green_channel_facts(state: SubjectAt, personal_record: str) -> dict[str, Any]:
    """What workflow/green_channel_facts reads about the state's subject, at N."""
    lost: dict[str, list[dt.date]] = {}
    for lb in state.liabilities.values():
        if lb.get("lost_on") is not None:
            lost.setdefault(lb["record_id"], []).append(lb["lost_on"])

    def record(rid: str) -> dict[str, Any]:
        r = state.records[rid]
        return {**{k: r.get(k) for k in ("record_id", "kind", "category", "decided_on", "valid_until", "status",
                                          "ended_on")},
                "objections": [{"notice_on": o["notice_on"], "resolved_on": o["resolved_on"]}
                               for o in state.objections.get(rid, [])]}

    own = [{**record(rid), "lost_on": lost.get(rid, [])} for rid in state.own_records if rid in state.records]
    own.sort(key=lambda r: (r["decided_on"] or dt.date.min, r["record_id"]))
    bound = [{**{k: lb.get(k) for k in ("liability_id", "rule_id", "valid_from", "valid_to", "role")},
              "record": record(lb["record_id"])}
             for lb in state.liabilities.values()
             if lb.get("record_kind") == "black" and personal_record in (lb.get("measures") or [])
             and lb["record_id"] in state.records and state.records[lb["record_id"]].get("subject_id") != state.subject_id]
    bound.sort(key=lambda lb: (lb["valid_from"], lb["liability_id"]))
    return {"subject_kind": state.kind, "established_on": state.established_on, "region_codes": [],
            "records": own, "liabilities": bound}


# --- enterprise and person facts (GET /v1/enterprises/{uscc}, /v1/persons/{id}) ----------------------

_FACT_KINDS = ["enterprise.added", "enterprise.changed", "person.added", "person.changed",
               "role.added", "role.ended", "role.changed", "holding.added", "holding.ended", "holding.changed",
               "record.added", "record.initiated", "record.changed", "record.corrected", "record.revoked",
               "record.repaired", "subjects.merged", "subjects.split"]
_RECORD_LISTS = ("records", "named_responsible_in")


def _typed(key: str, value: Any) -> Any:
    """A value of an entry's `before` (JSON) as the statement reads it: days and times typed."""
    if not isinstance(value, str):
        return value
    if key == "src_at":
        return dt.datetime.fromisoformat(value)
    if key.endswith("_on") or key in ("valid_until", "name_since"):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _revert(target: dict[str, Any], before: dict[str, Any]) -> None:
    target.update({k: _typed(k, v) for k, v in before.items()})


def _held(h: dict[str, Any], d: dt.date) -> bool:
    return (h.get("start_on") is None or h["start_on"] <= d) and (h.get("end_on") is None or d < h["end_on"])


def _edge_keys(kind: str, sid: str, row: dict[str, Any]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """The role and holding rows of a facts row, each with the key their change-log entries name."""
    if kind == "enterprise":
        return {"roles": [(role_key(h["person"]["person_id"], sid, h["role"], h.get("start_on")), h)
                          for h in row["roles"]],
                "shareholders": [(holding_key(h["holder"]["id"], sid, h.get("start_on")), h)
                                 for h in row["shareholders"]],
                "holdings": [(holding_key(sid, h["enterprise"]["uscc"], h.get("start_on")), h)
                             for h in row["holdings"]]}
    return {"roles": [(role_key(sid, h["enterprise"]["uscc"], h["role"], h.get("start_on")), h) for h in row["roles"]],
            "holdings": [(holding_key(sid, h["enterprise"]["uscc"], h.get("start_on")), h) for h in row["holdings"]]}


async def facts(tx: Any, kind: str, sid: str, as_of: dt.date | None, n: int) -> dict[str, Any] | None:
    """The row of subjects/enterprise (or subjects/person) for `sid` as it was at sequence number
    `n`: its fields, roles, holdings and records with every later entry undone; None if the
    subject was not known yet."""
    on = as_of or dt.date.today()
    row = await single_async(tx, f"subjects/{kind}", {"uscc" if kind == "enterprise" else "person_id": sid,
                                                      "as_of": None, "on": on})
    if row is None:
        return None
    node = row[kind]
    edges = _edge_keys(kind, sid, row)
    records = {name: {r["record_id"]: r for r in row.get(name) or []} for name in _RECORD_LISTS}
    for e in await rows_async(tx, "changes/about_after", id=sid, after=n, kinds=_FACT_KINDS):
        e = e["entry"]
        what, before = e["kind"], _loads(e["before"])
        if what == f"{kind}.added" and e["key"] == sid:
            return None
        if what == f"{kind}.changed" and e["key"] == sid:
            _revert(node, before)
        elif what == "subjects.merged":
            after = _loads(e["after"])
            if after.get("merged_id") == sid:  # not merged yet: its own facts, not a redirection
                node["merged_into"] = None
        elif what == "subjects.split":
            after = _loads(e["after"])
            if sid in (after.get("split_ids") or []):
                node["merged_into"] = after.get("canonical_id")
        elif what.startswith(("role.", "holding.")):
            for name, pairs in edges.items():
                if not name.startswith("role" if what.startswith("role.") else ("share", "hold")):
                    continue
                if what.endswith(".added"):
                    edges[name] = [(k, h) for k, h in pairs if k != e["key"]]
                else:
                    for k, h in pairs:
                        if k == e["key"]:
                            _revert(h, before)
        elif what in ("record.added", "record.initiated"):
            for by_id in records.values():
                by_id.pop(e["key"], None)
        else:
            for by_id in records.values():
                if e["key"] in by_id:
                    _revert(by_id[e["key"]], before)
    for name, pairs in edges.items():
        row[name] = [h for _, h in pairs if as_of is None or _held(h, as_of)]
    for name, by_id in records.items():
        if name not in row:
            continue
        for r in by_id.values():
            r["in_force"] = (r["decided_on"] <= on and (r.get("valid_until") is None or on <= r["valid_until"])
                             and (r.get("ended_on") is None or on < r["ended_on"]))
        # The statements' order: the newest decision first.
        row[name] = sorted(by_id.values(), key=lambda r: r["record_id"])
        row[name].sort(key=lambda r: r["decided_on"], reverse=True)
    return row


async def facts_known_at(graph: Any, kind: str, sid: str, as_of: dt.date | None, text: str
                         ) -> tuple[dict[str, Any] | None, str, int]:
    """`facts` at the moment `text` (known_at, as `parse` reads it): the row, the moment as read,
    and its sequence number. Raises InvalidKnownAt."""
    moment = parse(text)
    if moment is None:
        raise InvalidKnownAt("known_at", "empty")

    async def work(tx: Any) -> tuple[dict[str, Any] | None, int]:
        n = await seq_at(tx, moment)
        return await facts(tx, kind, sid, as_of, n), n

    row, n = await graph.read_tx(work)
    return row, (f"seq:{moment}" if isinstance(moment, int) else moment.isoformat()), n
