"""The order of propagation statements, written once for the sync and the async driver.

Each plan (graph_service.runner) yields the steps of cypher/propagation and receives the rows each
returned; `runner.run` / `runner.run_async` drive it on a transaction. So the loader (sync) and
the API (async) run exactly the same sequence in their own transaction, and the facts writer and
the workflow `yield from` these plans inside theirs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from graph_service import runner
from graph_service.domain.catalogue import Catalogue, Rule, catalogue
from graph_service.errors import ServiceError
from graph_service.propagation import consequences

# Non-red rules by reach kind -> the statement that materialises them.
STATEMENTS = {
    "subject": "propagation/liabilities_subject",
    "named_responsible": "propagation/liabilities_named",
    "roles": "propagation/liabilities_roles",
    "serving": "propagation/liabilities_serving",
}
RED_STATEMENT = "propagation/liabilities_red"


def _step(name: str, params: dict[str, Any]) -> runner.Step:
    """A propagation statement: its rows are counts and ids, used without temporal conversion."""
    return runner.Step(name, params, convert=False)


@dataclass
class Summary:
    records: list[str] = field(default_factory=list)
    red_records: list[str] = field(default_factory=list)
    liabilities: int = 0


Plan = runner.Plan[Summary]


def rule_param(rule: Rule) -> dict[str, Any]:
    t, reach, lost = rule.trigger, rule.reach, rule.lost_when
    return {
        "id": rule.id,
        "kinds": list(t.kinds),
        "subject_kinds": list(t.subject_kinds),
        "categories": list(t.categories) if t.categories is not None else None,
        "severities": list(t.severities) if t.severities is not None else None,
        "roles": list(reach.roles),
        "require_named": reach.require_named,
        "anchor": rule.anchor,
        "releasable": rule.releasable,
        "retain_decision_holders": rule.retain_decision_holders,
        "measures": list(rule.measures),
        "legal_basis": rule.legal_basis,
        "lost_black": bool(lost and lost.black_record_of_subject),
        "lost_black_holder": bool(lost and lost.black_record_of_holder),
        "liable_roles": list(lost.liable_roles) if lost else [],
        "liable_measure": lost.liable_measure if lost else None,
    }


@dataclass(frozen=True)
class RuleParams:
    by_statement: dict[str, list[dict]]
    red: list[dict]
    liable_roles: list[str]
    mandatory: list[str]

    @classmethod
    def of(cls, cat: Catalogue) -> RuleParams:
        by: dict[str, list[dict]] = {name: [] for name in STATEMENTS.values()}
        red: list[dict] = []
        roles: set[str] = set()
        for rule in cat.rules:
            if rule.lost_when is not None:
                red.append(rule_param(rule))
                roles.update(rule.lost_when.liable_roles)
            else:
                by[STATEMENTS[rule.reach.kind]].append(rule_param(rule))
        return cls({k: v for k, v in by.items() if v}, red, sorted(roles), cat.mandatory_measures)


def params_for(cat: Catalogue | None = None) -> RuleParams:
    return RuleParams.of(cat) if cat is not None else _shipped_params()


@lru_cache
def _shipped_params() -> RuleParams:
    return RuleParams.of(catalogue())


def compute(rp: RuleParams, record_ids: list[str]) -> Plan:
    """Materialise the non-red liabilities of records whose liabilities were cleared."""
    n = 0
    for name, rules in rp.by_statement.items():
        rows = yield _step(name, {"record_ids": record_ids, "rules": rules})
        n += rows[0]["created"] if rows else 0
    return Summary(liabilities=n)


def compute_red(rp: RuleParams, record_ids: list[str]) -> Plan:
    rows = yield _step(RED_STATEMENT, {"record_ids": record_ids, "rules": rp.red})
    return Summary(liabilities=rows[0]["created"] if rows else 0)


def reach(rp: RuleParams, record_ids: list[str]) -> Plan:
    yield _step("propagation/reach", {"record_ids": record_ids, "mandatory": rp.mandatory})
    return Summary()


def on_change(rp: RuleParams, record_ids: Iterable[str] = (), usccs: Iterable[str] = (),
              person_ids: Iterable[str] = ()) -> Plan:
    """Recompute what a change touches (docs/propagation.md, "Incremental propagation")."""
    record_ids, usccs, person_ids = sorted(set(record_ids)), sorted(set(usccs)), sorted(set(person_ids))
    if usccs or person_ids:
        if not record_ids:
            rows = yield _step("propagation/any_records", {})
            if not rows[0]["any"]:
                return Summary()
        rows = yield _step("propagation/touched_records", {
            "record_ids": record_ids, "usccs": usccs, "person_ids": person_ids})
        touched = sorted(set(rows[0]["record_ids"]) | set(record_ids))
    else:
        # Only records changed: nothing else to look up (a record deleted from the graph still has
        # liabilities to remove; the statements skip records they cannot find).
        touched = record_ids
    if not touched:
        return Summary()
    day = consequences.today()
    rows = yield _step("propagation/clear", {"record_ids": touched})
    bound = [b for b in rows[0]["bound_ids"] if b is not None]
    before = {lb["liability_id"]: lb for lb in rows[0]["cleared"]}
    summary = yield from compute(rp, touched)
    red: list[str] = []
    if rp.red:
        rows = yield _step("propagation/red_affected", {
            "record_ids": touched, "bound_ids": bound, "liable_roles": rp.liable_roles})
        red = sorted(rows[0]["record_ids"])
        if red:
            before.update((yield from consequences.liabilities(sorted(set(red) - set(touched)), day)))
            summary.liabilities += (yield from compute_red(rp, red)).liabilities
    yield from reach(rp, sorted(set(touched) | set(red)))
    rows = yield _step("changes/after_recompute", {
        "record_ids": sorted(set(touched) | set(red)), "today": day,
        "subject_ids": sorted({lb["subject_id"] for lb in before.values()})})
    logged = consequences.entries(before, rows[0], day)
    if logged:
        yield runner.Log(logged)
    summary.records, summary.red_records = touched, red
    return summary


class ReleaseRefused(ServiceError, ValueError):
    """A release that the rules do not allow; the message says why, `field` names the request field."""

    status, code = 409, "release_refused"

    def __init__(self, message: str, field: str = "person_id"):
        super().__init__(message)
        self.field = field


def _span(h: dict) -> str:
    return f"{h['start_on'] or ''}..{h['end_on'] or ''}"


def release(rp: RuleParams, cat: Catalogue, person_id: str, record_id: str, on, reason: str, by: str) -> Plan:
    """Release a person from a record's releasable liabilities from `on`, then recompute. Refused
    unless `on` lies in the record's window, and for a person named responsible in the record, or
    who holds a releasable rule's role in its subject on any day the release would cover (the actual
    controller, or a holder not yet gone: domain.md 1.7)."""
    if not reason or not reason.strip():
        raise ReleaseRefused("a release needs a reason", "reason")
    releasable = [r for r in cat.rules if r.releasable]
    rule_ids = [r.id for r in releasable]
    roles = sorted({role for r in releasable for role in r.reach.roles})
    rows = yield _step("propagation/release_check", {
        "person_id": person_id, "record_id": record_id, "on": on, "rule_ids": rule_ids, "roles": roles})
    c = rows[0]
    if not c["record_exists"]:
        raise ReleaseRefused(f"record {record_id!r} does not exist", "record_id")
    if not c["person_exists"]:
        raise ReleaseRefused(f"person {person_id!r} does not exist")
    rf, rt = c["window_from"], c["window_to"]
    if rf is None or on < rf or (rt is not None and on >= rt):
        window = f"[{rf or '?'}, {rt or 'open'})"
        raise ReleaseRefused(f"the release date {on} lies outside record {record_id!r}'s window {window}", "on")
    if c["named"]:
        raise ReleaseRefused(f"person {person_id!r} is named responsible in record {record_id!r}")
    if not c["liabilities"]:
        raise ReleaseRefused(f"person {person_id!r} is not bound by a releasable liability of record {record_id!r} "
                             f"(releasable rules: {', '.join(rule_ids)})")
    for h in c["held"]:
        if h["role"] == "actual_controller":
            raise ReleaseRefused(f"person {person_id!r} is the actual controller of the record's subject "
                                 f"({_span(h)}) on days the release from {on} would cover")
    if c["held"]:
        h = c["held"][0]
        if h["end_on"] is None:
            raise ReleaseRefused(f"person {person_id!r} is the current {h['role']} of the record's subject "
                                 f"(since {h['start_on'] or 'ever'}): a current holder cannot be released")
        raise ReleaseRefused(f"person {person_id!r} holds {h['role']} in the record's subject ({_span(h)}) on days "
                             f"the release from {on} would cover: a release may start on {h['end_on']} at the "
                             f"earliest", "on")
    yield _step("propagation/release", {"person_id": person_id, "record_id": record_id, "on": on,
                                     "reason": reason.strip(), "by": by})
    return (yield from on_change(rp, record_ids=[record_id]))
