"""The workflow's history: append-only events per record, and the state they fold into.

Every state change of a record (objection filed or resolved, repair refused or accepted,
notification acknowledged or answered, correction, revocation, a person released from its
liabilities) is one `Event` node linked to its
record: who (actor), when (at), what (kind, data), why (reason). Nothing is ever updated or
deleted. The current state is `fold(events)`; the properties projected onto Record, Objection and
Notification nodes (docs/model.md) are written from it in the same transaction as the event, so
reads stay cheap and can always be re-derived.

`apply` both checks that a transition is allowed and performs it, so live actions and replays
share one set of rules: an action that `apply` refuses raises `Conflict` and nothing is written.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from graph_service.errors import ServiceError

KINDS = (
    "initiated",  # the record was created through the API (data: its fields)
    "objection_filed",  # data: objection_id, notice_on, due_on, filed_by, grounds
    "objection_resolved",  # data: objection_id, outcome, on, changes (corrected), restore (revoked)
    "repair_refused",  # data: the assessment (reasons, earliest_on, conditions)
    "repair_accepted",  # data: on, conditions, evidence, rule_version
    "notification_acknowledged",  # data: notification_id, on
    "notification_feedback",  # data: notification_id, applied, on, measures, reason
    "restoration_acknowledged",  # data: notification_id, on
    "person_released",  # data: person_id, on (POST /v1/records/{id}/releases; reason: the release's)
)
OUTCOMES = ("upheld", "corrected", "revoked")
# Fields an objection may correct. The subject is not among them: a record against the wrong
# subject is revoked, and the right one initiated anew.
CORRECTABLE = (
    "category", "severity", "document_no", "misconduct_on", "decided_on", "published_on",
    "valid_until", "legal_basis", "responsible_person_ids",
)
DATE_FIELDS = ("misconduct_on", "decided_on", "published_on", "valid_until")


class Conflict(ServiceError):
    """The action does not fit the record's current state (HTTP 409)."""

    status = 409

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Event:
    event_id: str
    record_id: str
    seq: int
    at: dt.datetime
    actor: str
    kind: str
    data: dict[str, Any]
    reason: str | None = None

    @classmethod
    def new(cls, record_id: str, seq: int, actor: str, kind: str, data: dict[str, Any],
            reason: str | None = None, at: dt.datetime | None = None) -> Event:
        if kind not in KINDS:
            raise ValueError(f"unknown event kind {kind}")
        return cls(uuid.uuid4().hex, record_id, seq, at or dt.datetime.now(dt.UTC), actor, kind,
                   data, reason)

    def to_props(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "record_id": self.record_id, "seq": self.seq, "at": self.at,
                "actor": self.actor, "kind": self.kind, "data": dumps(self.data), "reason": self.reason}

    @classmethod
    def from_props(cls, p: dict[str, Any]) -> Event:
        return cls(p["event_id"], p["record_id"], p["seq"], p["at"], p["actor"], p["kind"],
                   loads(p["data"]), p.get("reason"))


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON: {value!r}")


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=_default)


def loads(text: str) -> dict[str, Any]:
    return json.loads(text) if text else {}


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _day(value: Any) -> dt.date:
    """A date an event always carries (a date, or its ISO text from the stored history)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


@dataclass
class ObjectionState:
    objection_id: str
    notice_on: dt.date
    due_on: dt.date
    filed_by: str
    grounds: str | None
    opened_by: str
    status: str = "open"  # open, upheld, corrected, revoked
    resolved_on: dt.date | None = None
    resolved_by: str | None = None


@dataclass
class NotificationState:
    notification_id: str
    acknowledged_on: dt.date | None = None
    acknowledged_by: str | None = None
    answered_on: dt.date | None = None
    applied: bool | None = None
    feedback_reason: str | None = None
    measures_applied: list[str] = field(default_factory=list)
    restoration_on: dt.date | None = None  # a restoration notice was sent (the record was revoked)
    restoration_acknowledged_on: dt.date | None = None

    @property
    def status(self) -> str:
        if self.restoration_on is not None:
            return "restoration_acknowledged" if self.restoration_acknowledged_on else "restoration_pending"
        if self.answered_on is not None:
            return "answered"
        if self.acknowledged_on is not None:
            return "acknowledged"
        return "pending"


@dataclass
class RecordState:
    record_id: str
    seq: int = 0
    status: str = "in_force"  # in_force, revoked, repaired
    ended_on: dt.date | None = None
    objections: dict[str, ObjectionState] = field(default_factory=dict)
    notifications: dict[str, NotificationState] = field(default_factory=dict)
    corrections: dict[str, Any] = field(default_factory=dict)  # field → value after the last correction
    repair: dict[str, Any] | None = None  # the accepted repair
    repair_refusals: int = 0

    @property
    def open_objection(self) -> ObjectionState | None:
        return next((o for o in self.objections.values() if o.status == "open"), None)

    @property
    def suspended_on(self) -> dt.date | None:
        o = self.open_objection
        return o.notice_on if o else None


def apply(state: RecordState, e: Event) -> RecordState:
    """The state after `e`; raises `Conflict` when `e` does not fit `state` (state is untouched)."""
    if e.seq != state.seq + 1:
        raise Conflict("stale", f"record {state.record_id}: event {e.seq} follows {state.seq}")
    s = copy.deepcopy(state)
    d = e.data
    handler = _HANDLERS[e.kind]
    handler(s, e, d)
    s.seq = e.seq
    return s


def fold(record_id: str, events: list[Event]) -> RecordState:
    state = RecordState(record_id)
    for e in sorted(events, key=lambda e: e.seq):
        state = apply(state, e)
    return state


def _require_in_force(s: RecordState, what: str) -> None:
    if s.status != "in_force":
        raise Conflict("not_in_force", f"record {s.record_id} is {s.status}: cannot {what}")


def _initiated(s: RecordState, e: Event, d: dict) -> None:
    if s.seq != 0:
        raise Conflict("already_initiated", f"record {s.record_id} already has a history")


def _objection_filed(s: RecordState, e: Event, d: dict) -> None:
    _require_in_force(s, "file an objection")
    if s.open_objection is not None:
        raise Conflict("objection_open", f"record {s.record_id} already has an open objection "
                                         f"({s.open_objection.objection_id}, notice of {s.open_objection.notice_on})")
    s.objections[d["objection_id"]] = ObjectionState(
        d["objection_id"], _day(d["notice_on"]), _day(d["due_on"]), d["filed_by"], d.get("grounds"), e.actor)


def _objection_resolved(s: RecordState, e: Event, d: dict) -> None:
    o = s.objections.get(d["objection_id"])
    if o is None:
        raise Conflict("unknown_objection", f"record {s.record_id} has no objection {d['objection_id']}")
    if o.status != "open":
        raise Conflict("objection_resolved", f"objection {o.objection_id} was already resolved: {o.status}")
    on = _day(d["on"])
    if on < o.notice_on:
        raise Conflict("before_notice", f"objection {o.objection_id} cannot be resolved on {on}, "
                                        f"before its notice of {o.notice_on}")
    outcome = d["outcome"]
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome}")
    if outcome == "corrected":
        changes = d.get("changes") or {}
        if not changes:
            raise Conflict("no_changes", "a correction must change at least one field")
        bad = sorted(set(changes) - set(CORRECTABLE))
        if bad:
            raise Conflict("not_correctable", f"fields {bad} cannot be corrected (allowed: {', '.join(CORRECTABLE)})")
        s.corrections.update({k: (_date(v["new"]) if k in DATE_FIELDS else v["new"]) for k, v in changes.items()})
    o.status, o.resolved_on, o.resolved_by = outcome, on, e.actor
    if outcome == "revoked":
        s.status, s.ended_on = "revoked", on
        for nid in d.get("restore", []):
            s.notifications.setdefault(nid, NotificationState(nid)).restoration_on = on


def _repair_refused(s: RecordState, e: Event, d: dict) -> None:
    s.repair_refusals += 1


def _repair_accepted(s: RecordState, e: Event, d: dict) -> None:
    _require_in_force(s, "repair it")
    if s.open_objection is not None:
        raise Conflict("objection_open", f"record {s.record_id} has an open objection; resolve it first")
    s.status, s.ended_on = "repaired", _date(d["on"])
    s.repair = dict(d)


def _notification(s: RecordState, d: dict) -> NotificationState:
    return s.notifications.setdefault(d["notification_id"], NotificationState(d["notification_id"]))


def _notification_acknowledged(s: RecordState, e: Event, d: dict) -> None:
    n = _notification(s, d)
    if n.acknowledged_on is not None:
        raise Conflict("already_acknowledged", f"notification {n.notification_id} was acknowledged "
                                               f"on {n.acknowledged_on}")
    n.acknowledged_on, n.acknowledged_by = _date(d["on"]), e.actor


def _notification_feedback(s: RecordState, e: Event, d: dict) -> None:
    n = _notification(s, d)
    on = _date(d["on"])
    if n.acknowledged_on is None:
        # Feedback implies receipt.
        n.acknowledged_on, n.acknowledged_by = on, e.actor
    n.answered_on, n.applied = on, bool(d["applied"])
    n.feedback_reason = e.reason
    n.measures_applied = list(d.get("measures") or [])


def _restoration_acknowledged(s: RecordState, e: Event, d: dict) -> None:
    n = s.notifications.get(d["notification_id"])
    if n is None or n.restoration_on is None:
        raise Conflict("no_restoration", f"notification {d['notification_id']} has no restoration notice")
    if n.restoration_acknowledged_on is not None:
        raise Conflict("already_acknowledged", f"the restoration notice {n.notification_id} was acknowledged")
    n.restoration_acknowledged_on = _date(d["on"])


def _person_released(s: RecordState, e: Event, d: dict) -> None:
    # A release ends one former holder's liabilities (the RELEASED_FROM link and propagation), not
    # the record: its state is unchanged whatever its status, and a later release of the same
    # person is one more event.
    pass


_HANDLERS = {
    "initiated": _initiated,
    "objection_filed": _objection_filed,
    "objection_resolved": _objection_resolved,
    "repair_refused": _repair_refused,
    "repair_accepted": _repair_accepted,
    "notification_acknowledged": _notification_acknowledged,
    "notification_feedback": _notification_feedback,
    "restoration_acknowledged": _restoration_acknowledged,
    "person_released": _person_released,
}
assert set(_HANDLERS) == set(KINDS)
