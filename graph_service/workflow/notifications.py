"""Push and respond (信息推送, 执行反馈; policy items 4 and 16): notifications and their answers.

Propagation creates one Notification per record and reached region, listing the measures,
mandatory first. Here the implementing departments of that region acknowledge it and report
whether they applied the measures (date, which ones, why not). Each is an event of the record; the
notification's status is projected from them: pending → acknowledged → answered, and after a
revocation restoration_pending → restoration_acknowledged. A notification unanswered more than
`notification_overdue_working_days` working days after it was sent is overdue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph_service.runner import Plan, Step, one, only
from graph_service.workflow.calendar import CalendarUnknown, add_working_days, is_working_day
from graph_service.workflow.events import RecordState
from graph_service.workflow.records import InvalidInput
from graph_service.workflow.store import CHINA, Decision, NewEvent, NotFound, act, today

STATUSES = ("pending", "acknowledged", "answered", "restoration_pending", "restoration_acknowledged")


def _record_of(notification_id: str) -> Plan[dict[str, Any]]:
    row = one((yield Step("workflow/notification", {"notification_id": notification_id})))
    if row is None:
        raise NotFound("notification", notification_id)
    return row


def acknowledge(notification_id: str, *, actor: str, on: dt.date | None = None) -> Plan[dict[str, Any]]:
    """Receipt of a notification; acknowledging twice keeps the first (no new event)."""
    on = on or today()
    row = yield from _record_of(notification_id)

    def decide(state: RecordState, record: dict[str, Any]) -> Decision:
        n = state.notifications.get(notification_id)
        if n is not None and n.acknowledged_on is not None:
            return Decision([])
        return Decision([NewEvent("notification_acknowledged", {"notification_id": notification_id, "on": on})])

    _, state = yield from act(row["record_id"], actor, decide)
    return _view(row, state)


def feedback(notification_id: str, *, applied: bool, actor: str, on: dt.date | None = None,
             measures: list[str] | None = None, reason: str | None = None,
             now: dt.date | None = None) -> Plan[dict[str, Any]]:
    """What the department did: measures applied (which, from when) or not (and why)."""
    on = on or today()
    if on > (now or today()):
        raise InvalidInput("on", f"{on} is in the future")
    if not applied and not (reason and reason.strip()):
        raise InvalidInput("reason", "say why the measures were not applied")
    row = yield from _record_of(notification_id)
    listed = list(row["notification"].get("measures") or [])
    chosen = list(measures) if measures else (listed if applied else [])
    unknown = [m for m in chosen if m not in listed]
    if unknown:
        raise InvalidInput("measures", f"{unknown[0]} is not among the notified measures ({', '.join(listed)})")
    created = row["notification"].get("created_at")
    if created is not None and on < created.astimezone(CHINA).date():
        raise InvalidInput("on", f"{on} precedes the notification of {created.astimezone(CHINA).date()}")

    def decide(state: RecordState, record: dict[str, Any]) -> Decision:
        data = {"notification_id": notification_id, "applied": applied, "on": on, "measures": chosen}
        return Decision([NewEvent("notification_feedback", data, reason)])

    _, state = yield from act(row["record_id"], actor, decide)
    return _view(row, state)


def acknowledge_restoration(notification_id: str, *, actor: str, on: dt.date | None = None) -> Plan[dict[str, Any]]:
    on = on or today()
    row = yield from _record_of(notification_id)

    def decide(state: RecordState, record: dict[str, Any]) -> Decision:
        return Decision([NewEvent("restoration_acknowledged", {"notification_id": notification_id, "on": on})])

    _, state = yield from act(row["record_id"], actor, decide)
    return _view(row, state)


def _view(row: dict[str, Any], state: RecordState) -> dict[str, Any]:
    n = state.notifications.get(row["notification"]["notification_id"])
    out = dict(row["notification"])
    if n is not None:
        out.update({"status": n.status, "acknowledged_on": n.acknowledged_on, "answered_on": n.answered_on,
                    "applied": n.applied, "measures_applied": n.measures_applied,
                    "feedback_reason": n.feedback_reason, "restoration_on": n.restoration_on,
                    "restoration_acknowledged_on": n.restoration_acknowledged_on})
    out["record_id"] = row["record_id"]
    return out


def sent_on(n: dict[str, Any]) -> dt.date | None:
    created = n.get("created_at")
    return created.astimezone(CHINA).date() if created is not None else None


def due_on(n: dict[str, Any], working_days: int) -> dt.date | None:
    """The last day to answer; None when the calendar does not know the year (never guessed)."""
    sent = sent_on(n)
    if sent is None:
        return None
    try:
        return add_working_days(sent, working_days)
    except CalendarUnknown:
        return None


def overdue_cutoff(as_of: dt.date, working_days: int) -> dt.datetime:
    """Notifications sent before this instant are overdue on `as_of` if still unanswered.

    A notification sent on day s is due on the n-th working day after s, and overdue from the day
    after. So it is overdue on `as_of` iff at least n working days lie in (s, as_of - 1]: iff s
    precedes w, the n-th working day counted back from as_of - 1 (inclusive).
    """
    d, counted = as_of, 0
    while True:
        if d == dt.date.min:
            raise CalendarUnknown(d)
        d -= dt.timedelta(days=1)
        if is_working_day(d):
            counted += 1
            if counted == working_days:
                return dt.datetime.combine(d, dt.time(), tzinfo=CHINA)


def queue(region_code: str, *, as_of: dt.date, working_days: int, status: str | None = None,
          skip: int = 0, limit: int = 100) -> Plan[tuple[list[dict[str, Any]], int]]:
    """A region's notifications, newest first; `status` may also be `overdue`: unanswered after
    the working days allowed, while the record is in force, not suspended, and the region still
    reached."""
    if status is not None and status not in (*STATUSES, "overdue"):
        raise InvalidInput("status", f"must be one of {', '.join((*STATUSES, 'overdue'))}")
    cutoff = overdue_cutoff(as_of, working_days)
    row = only((yield Step("workflow/notification_queue", {
        "region_code": region_code, "status": None if status == "overdue" else status,
        "overdue_only": status == "overdue", "overdue_before": cutoff, "as_of": as_of,
        "skip": skip, "limit": limit})))
    items = []
    for item in row["items"]:
        n = {**item["notification"], "record_id": item["record_id"], "record_kind": item["record_kind"],
             "suspended_on": item["suspended_on"], "overdue": item["overdue"]}
        n.setdefault("status", "pending")
        n["sent_on"] = sent_on(n)
        n["due_on"] = due_on(n, working_days)
        items.append(n)
    return items, row["total"]
