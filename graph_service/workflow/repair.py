"""Credit repair (信用修复; policy item 20, domain.md 4): when a request can be accepted.

The rule version in force on the decision date fixes the minimum period (the first day a request
can be accepted) and the maximum (the automatic end); `periods.yaml` holds the figures. A request
is accepted only on or after the minimum and with every condition of `repair_conditions` met;
otherwise it is refused with the reasons and, where waiting helps, the first date it could be
accepted. `assess` is pure; `request_repair` records its outcome as an event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph_service.domain.periods import period_table, version_on, window
from graph_service.runner import Plan
from graph_service.workflow import hooks
from graph_service.workflow.events import RecordState
from graph_service.workflow.records import InvalidInput
from graph_service.workflow.store import Decision, NewEvent, act, today

BAD_KINDS = ("black", "penalty")


@dataclass(frozen=True)
class RepairTerms:
    """Repair periods of one record under the rule version in force on its decision date."""

    rule_version: str
    rule_name: str
    repairable: bool
    earliest_on: date | None  # first day a repair request can be accepted; None: never
    automatic_end: date  # last day in force when nothing ends the record earlier
    not_repairable_reason: str | None = None


def terms(kind: str, severity: str, decided_on: date, *, specific_serious: bool = False,
          valid_until: date | None = None) -> RepairTerms:
    """Repair terms of a record; `valid_until`, when the record carries one, is its automatic end."""
    if kind not in BAD_KINDS:
        end = valid_until or window(kind, severity, decided_on).automatic_end
        return RepairTerms("red_listing", "red listing", False, None, end,
                           "a red (exemplary) listing is not a bad record and has nothing to repair")
    version = version_on(decided_on)
    w = window(kind, severity, decided_on)
    end = valid_until or w.automatic_end
    if specific_serious and not version.specific_serious_repairable:
        return RepairTerms(version.id, version.name, False, None, end,
                           f"specific serious (特定严重) information decided under {version.name} "
                           "is published for the full period and cannot be repaired")
    return RepairTerms(version.id, version.name, True, w.earliest_repair, end)


def condition_names() -> tuple[str, ...]:
    return tuple(period_table().repair_conditions)


@dataclass(frozen=True)
class RepairRequest:
    requested_on: date
    conditions: dict[str, bool]  # every name of condition_names(), True when met
    evidence: str | None = None  # what the applicant submitted (commitment letter no., receipts)


@dataclass(frozen=True)
class RepairDecision:
    accepted: bool
    terms: RepairTerms
    reasons: list[str] = field(default_factory=list)  # codes, see REFUSAL_REASONS
    missing_conditions: list[str] = field(default_factory=list)
    earliest_on: date | None = None  # when refused: first date it could be accepted, if any

    def as_dict(self) -> dict:
        return {
            "accepted": self.accepted,
            "reasons": list(self.reasons),
            "missing_conditions": list(self.missing_conditions),
            "earliest_on": self.earliest_on.isoformat() if self.earliest_on else None,
            "rule_version": self.terms.rule_version,
            "rule_name": self.terms.rule_name,
            "minimum_until": self.terms.earliest_on.isoformat() if self.terms.earliest_on else None,
            "automatic_end": self.terms.automatic_end.isoformat(),
        }


REFUSAL_REASONS = {
    "not_repairable": "the record cannot be repaired (see the rule version)",
    "not_in_force": "the record is no longer in force (revoked, repaired or past its period)",
    "before_decision": "the request predates the decision",
    "too_early": "the minimum publicity or punishment period has not passed",
    "conditions_missing": "a required condition is not met",
    "objection_open": "an objection on the record is being verified; it is decided first",
}


@dataclass(frozen=True)
class RecordFacts:
    """What repair needs to know of a record (its graph properties)."""

    kind: str
    severity: str
    decided_on: date
    valid_until: date | None = None
    status: str = "in_force"
    ended_on: date | None = None
    specific_serious: bool = False

    def in_force_on(self, d: date) -> bool:
        if d < self.decided_on:
            return False
        if self.valid_until is not None and d > self.valid_until:
            return False
        return self.ended_on is None or d < self.ended_on


def assess(record: RecordFacts, request: RepairRequest) -> RepairDecision:
    t = terms(record.kind, record.severity, record.decided_on,
              specific_serious=record.specific_serious, valid_until=record.valid_until)
    on = request.requested_on
    unknown = sorted(set(request.conditions) - set(condition_names()))
    if unknown:
        raise ValueError(f"unknown repair conditions {unknown}; expected {list(condition_names())}")
    if not t.repairable:
        return RepairDecision(False, t, ["not_repairable"])
    if on < record.decided_on:
        return RepairDecision(False, t, ["before_decision"], earliest_on=t.earliest_on)
    if record.status != "in_force" or not record.in_force_on(on):
        return RepairDecision(False, t, ["not_in_force"])
    reasons: list[str] = []
    missing = [c for c in condition_names() if not request.conditions.get(c, False)]
    assert t.earliest_on is not None
    if on < t.earliest_on:
        reasons.append("too_early")
    if missing:
        reasons.append("conditions_missing")
    if reasons:
        first = max(on, t.earliest_on)
        # Waiting past the automatic end is pointless: the record then ends by itself.
        earliest = first if first <= t.automatic_end else None
        return RepairDecision(False, t, reasons, missing, earliest)
    return RepairDecision(True, t)



def request_repair(record_id: str, *, requested_on: date, conditions: dict[str, bool], actor: str,
                   evidence: str | None = None, reason: str | None = None,
                   expected_seq: int | None = None, now: date | None = None) -> Plan[RepairDecision]:
    """Assess a repair request and record the outcome: accepted (the record ends on
    `requested_on`, its derived measures with it) or refused (with reasons and the first date it
    could be accepted). Both are events; nothing is deleted."""
    unknown = sorted(set(conditions) - set(condition_names()))
    if unknown:
        raise InvalidInput(f"conditions.{unknown[0]}",
                           f"unknown repair condition (expected: {', '.join(condition_names())})")
    if requested_on > (now or today()):
        raise InvalidInput("requested_on", f"{requested_on} is in the future")

    def decide(state: RecordState, record: dict[str, Any]) -> Decision:
        facts = RecordFacts(
            kind=record["kind"], severity=record.get("severity") or "general", decided_on=record["decided_on"],
            valid_until=record.get("valid_until"), status=state.status, ended_on=state.ended_on,
            specific_serious=bool(record.get("specific_serious")))
        request = RepairRequest(requested_on, dict(conditions), evidence)
        decision = assess(facts, request)
        if decision.accepted and state.open_objection is not None:
            decision = RepairDecision(False, decision.terms, ["objection_open"])
        data = {**decision.as_dict(), "requested_on": requested_on, "conditions": dict(conditions),
                "evidence": evidence}
        if decision.accepted:
            data["on"] = requested_on
            return Decision([NewEvent("repair_accepted", data, reason)], decision, then=hooks.record_changed)
        return Decision([NewEvent("repair_refused", data, reason)], decision)

    decision, _ = yield from act(record_id, actor, decide, expected_seq=expected_seq)
    return decision
