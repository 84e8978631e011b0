"""Objections (异议处理; policy item 21, domain.md 5).

From the notice date the measures derived from the record are suspended (信息核实期间暂不执行):
checks answer `clear` with a note and lists omit the record. The deciding department verifies
within 20 working days of the notice, counted on the official calendar; a notice whose deadline
falls in a year the calendar does not know is refused (`CalendarUnknown`), never guessed.
Resolution: `upheld` (measures resume), `corrected` (fields change and propagation is recomputed)
or `revoked` (the record ends; a restoration notice goes to every department that applied a
measure). The suspension window is half-open: [notice_on, resolved_on).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from graph_service.runner import Plan, Step, one
from graph_service.workflow import hooks
from graph_service.workflow.calendar import add_working_days
from graph_service.workflow.events import CORRECTABLE, OUTCOMES, ObjectionState, RecordState
from graph_service.workflow.records import InvalidInput, validate_changes, write_correction
from graph_service.workflow.store import Decision, NewEvent, NotFound, act, today

VERIFICATION_WORKING_DAYS = 20
FILED_BY = ("subject", "agent", "department", "platform")


def verification_due(notice_on: dt.date) -> dt.date:
    return add_working_days(notice_on, VERIFICATION_WORKING_DAYS)


def file_objection(record_id: str, *, notice_on: dt.date, filed_by: str, actor: str,
                   grounds: str | None = None, expected_seq: int | None = None,
                   now: dt.date | None = None) -> Plan[ObjectionState]:
    if filed_by not in FILED_BY:
        raise InvalidInput("filed_by", f"must be one of {', '.join(FILED_BY)}, not {filed_by!r}")
    if notice_on > (now or today()):
        raise InvalidInput("notice_on", f"{notice_on} is in the future")
    due = verification_due(notice_on)
    objection_id = uuid.uuid4().hex

    def decide(state: RecordState, record: dict[str, Any]) -> Decision:
        decided_on = record.get("decided_on")
        if decided_on is not None and notice_on < decided_on:
            raise InvalidInput("notice_on", f"{notice_on} precedes the decision of {decided_on}")
        data = {"objection_id": objection_id, "notice_on": notice_on, "due_on": due, "filed_by": filed_by,
                "grounds": grounds}
        return Decision([NewEvent("objection_filed", data, grounds)], objection_id)

    oid, state = yield from act(record_id, actor, decide, expected_seq=expected_seq)
    return state.objections[oid]


def resolve_objection(objection_id: str, *, outcome: str, actor: str, on: dt.date | None = None,
                      changes: dict[str, Any] | None = None, reason: str | None = None,
                      expected_seq: int | None = None) -> Plan[tuple[ObjectionState, RecordState]]:
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome", f"must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    if outcome == "corrected" and not changes:
        raise InvalidInput("changes", f"a correction names the fields it changes ({', '.join(CORRECTABLE)})")
    if outcome != "corrected" and changes:
        raise InvalidInput("changes", f"only a `corrected` resolution changes fields, not `{outcome}`")
    on = on or today()
    row = one((yield Step("workflow/objection_record", {"objection_id": objection_id})))
    if row is None:
        raise NotFound("objection", objection_id)
    record_id = row["record_id"]

    def decide(state: RecordState, record: dict[str, Any]) -> Decision:
        data: dict[str, Any] = {"objection_id": objection_id, "outcome": outcome, "on": on}
        if outcome == "corrected":
            current = {**record, **state.corrections}
            new = validate_changes(changes or {}, current)
            data["changes"] = {k: {"old": current.get(k), "new": v} for k, v in new.items()}
        if outcome == "revoked":
            data["restore"] = sorted(n.notification_id for n in state.notifications.values() if n.applied)
        return Decision([NewEvent("objection_resolved", data, reason)],
                        write=write_correction(actor) if outcome == "corrected" else None,
                        then=hooks.record_changed if outcome == "revoked" else None)

    _, state = yield from act(record_id, actor, decide, expected_seq=expected_seq)
    return state.objections[objection_id], state


def overdue(as_of: dt.date, region_code: str | None = None) -> Plan[list[dict[str, Any]]]:
    """Open objections whose verification is past due on `as_of` (due day itself is not late)."""
    rows = yield Step("workflow/objections_overdue", {"as_of": as_of, "region_code": region_code})
    return rows


def suspensions(record_ids: list[str], as_of: dt.date) -> Plan[dict[str, dict[str, Any]]]:
    """The records among `record_ids` suspended on `as_of` by an objection, with the objection."""
    rows = yield Step("workflow/suspensions", {"record_ids": record_ids, "as_of": as_of})
    return {r["record_id"]: r for r in rows}


def suspension_note(s: dict[str, Any]) -> str:
    return (f"record {s['record_id']} is under objection {s['objection_id']} since {s['notice_on']}; "
            f"its measures are suspended while it is verified (due {s['due_on']}; policy item 21)")


def get_objection(objection_id: str) -> Plan[dict[str, Any]]:
    row = one((yield Step("workflow/objection", {"objection_id": objection_id})))
    if row is None:
        raise NotFound("objection", objection_id)
    return row["objection"]


__all__ = [
    "file_objection",
    "get_objection",
    "overdue",
    "resolve_objection",
    "suspension_note",
    "suspensions",
    "verification_due",
]
