"""What a recomputation changed, for the change log (docs/changes.md): the liabilities that started
or ended, and for each subject they bind, the decisions per action that changed today.

`on_change` reads the liabilities of the records it recomputes before and after; the entries
go in the transaction's change set with the facts that caused them (runner.Log)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from graph_service import changelog
from graph_service.domain.catalogue import catalogue
from graph_service.domain.decisions import outcomes
from graph_service.runner import Log, Plan, Step

T = TypeVar("T")
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")

# What an entry says of a liability (its fields; provenance-free).
_FIELDS = ("liability_id", "rule_id", "record_id", "record_kind", "subject_id", "subject_kind", "role",
           "role_key", "role_start", "role_end", "anchor", "anchor_on", "path", "legal_basis", "measures",
           "valid_from", "valid_to", "released_on", "lost_on", "lost_record_id", "lost_path")


def today() -> dt.date:
    """The day in China, where decisions are dated."""
    return dt.datetime.now(CHINA).date()


def _in_force(lb: dict[str, Any], day: dt.date) -> bool:
    return lb["valid_from"] <= day and (lb.get("valid_to") is None or day < lb["valid_to"])


def liabilities(record_ids: Iterable[str], day: dt.date) -> Plan[dict[str, dict[str, Any]]]:
    """The liabilities of the records by id, each with `suspended` (its record under objection on `day`)."""
    ids = sorted(set(record_ids))
    if not ids:
        return {}
    rows = yield Step("changes/record_liabilities", {"record_ids": ids, "today": day}, convert=False)
    return {r["liability"]["liability_id"]: {**r["liability"], "suspended": r["suspended"]} for r in rows}


def _ids(lb: dict[str, Any]) -> tuple[list[str], list[str]]:
    return changelog.split(lb["subject_kind"], [lb["subject_id"]])


def entries(before: dict[str, dict[str, Any]], after_row: dict[str, Any], day: dt.date) -> list[dict[str, Any]]:
    """The liabilities that started, ended or changed (an end and a start) between `before` (the
    recomputed records' liabilities as they were) and what cypher/changes/after_recompute read,
    then the decisions per action that changed on `day` for the subjects they bind."""
    suspended = set(after_row["suspended_records"])
    after = {lb["liability_id"]: {**lb, "suspended": lb["record_id"] in suspended} for lb in after_row["liabilities"]}
    for lb in before.values():
        lb.setdefault("suspended", lb["record_id"] in suspended)
    out: list[dict[str, Any]] = []
    changed: dict[str, str] = {}  # subject id -> its kind
    actor = {"actor": None}
    for lid in sorted(set(before) | set(after)):
        old, new = before.get(lid), after.get(lid)
        if old is not None and new is not None and all(old.get(f) == new.get(f) for f in _FIELDS):
            continue
        if old is not None:
            u, p = _ids(old)
            out.append(changelog.entry("liability.ended", lid, actor, usccs=u, person_ids=p,
                                       before={f: old.get(f) for f in _FIELDS if old.get(f) is not None}))
            changed[old["subject_id"]] = old["subject_kind"]
        if new is not None:
            u, p = _ids(new)
            out.append(changelog.entry("liability.started", lid, actor, usccs=u, person_ids=p,
                                       after={f: new.get(f) for f in _FIELDS if new.get(f) is not None}))
            changed[new["subject_id"]] = new["subject_kind"]
    if not out:
        return out
    now: dict[str, list[dict[str, Any]]] = {sid: [] for sid in changed}
    for r in after_row["held"]:
        if r["subject_id"] in now:
            now[r["subject_id"]].append(r)
    befores = {}
    for sid in changed:
        # Before: the liabilities in force today that this change did not touch, and the earlier
        # versions of those it did.
        kept = [x for x in now[sid] if x["liability_id"] not in after and x["liability_id"] not in before]
        befores[sid] = kept + [x for x in before.values() if x["subject_id"] == sid and _in_force(x, day)]
    return out + decision_entries(changed, befores, now)


def held(subject_ids: list[str], day: dt.date) -> Plan[dict[str, list[dict[str, Any]]]]:
    """The liabilities binding each subject in force on `day` (measures, suspended)."""
    out: dict[str, list[dict[str, Any]]] = {sid: [] for sid in subject_ids}
    if subject_ids:
        for r in (yield Step("changes/subject_liabilities", {"subject_ids": subject_ids, "today": day},
                             convert=False)):
            out[r["subject_id"]].append(r)
    return out


def decision_entries(kinds: dict[str, str], before: dict[str, list[dict[str, Any]]],
                     after: dict[str, list[dict[str, Any]]], actor: dict[str, Any] | None = None,
                     effective_on: dt.date | None = None) -> list[dict[str, Any]]:
    """decision.changed for each subject (id -> kind) and action whose decision differs between the
    liabilities held before and after (actor: the change's, unless given)."""
    cat = catalogue()
    out: list[dict[str, Any]] = []
    for sid in sorted(kinds):
        old_out, new_out = outcomes(before.get(sid, []), cat), outcomes(after.get(sid, []), cat)
        u, p = changelog.split(kinds[sid], [sid])
        for action in cat.actions:
            if old_out[action] != new_out[action]:
                out.append(changelog.entry("decision.changed", f"{sid}|{action}", actor or {"actor": None}, usccs=u,
                                           person_ids=p, effective_on=effective_on,
                                           before={"action": action, **old_out[action]},
                                           after={"action": action, **new_out[action]}))
    return out


def without_decisions(plan: Plan[T]) -> Plan[T]:
    """`plan`, with the decision.changed entries it logs left out: for a caller that logs the net
    change of decisions over more than one step itself (the record workflow: an objection's
    suspension, then a revocation's recomputation, in one transaction)."""
    try:
        step = next(plan)
        while True:
            if isinstance(step, Log):
                kept = [e for e in step.entries if e["kind"] != "decision.changed"]
                if kept:
                    yield Log(kept)
                step = plan.send([])
            else:
                step = plan.send((yield step))
    except StopIteration as done:
        return done.value
