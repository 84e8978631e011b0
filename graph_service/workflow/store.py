"""Acting on a record: lock it, fold its history, decide, append events, project the new state.

`act` is the one way the workflow changes a record. Inside one transaction it takes the record's
write lock (so two departments acting at once are serialised, and the second sees the first's
events), folds the history, lets the caller decide which events to append (a `Conflict` aborts
with nothing written), checks them with `events.apply`, appends them and projects the state onto
the Record, its Objection nodes and its Notifications.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from graph_service import changelog
from graph_service.errors import ServiceError
from graph_service.propagation import consequences
from graph_service.runner import Log, Plan, Step, one
from graph_service.workflow.events import (
    DATE_FIELDS,
    Conflict,
    Event,
    RecordState,
    _date,
    apply,
    fold,
)

# China Standard Time has had no daylight saving since 1991; a fixed offset also travels through
# the Neo4j driver, which mishandles zoneinfo zones.
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


def today() -> dt.date:
    """The current date where the deadlines run (a record decided at 00:30 Beijing time is 'today')."""
    return dt.datetime.now(CHINA).date()


class NotFound(ServiceError, LookupError):
    status, code = 404, "not_found"

    def __init__(self, kind: str, key: str):
        super().__init__(f"no {kind} {key}")
        self.kind, self.key = kind, key


@dataclass(frozen=True)
class NewEvent:
    kind: str
    data: dict[str, Any]
    reason: str | None = None


@dataclass(frozen=True)
class Decision:
    events: list[NewEvent]
    result: Any = None
    # Steps in the same transaction, given the new state and the record as locked: `write` before
    # the projection (a correction rewritten through the loader's writer), `then` after it
    # (propagation catching up with a record that ended).
    write: Callable[[RecordState, dict[str, Any]], Plan[None]] | None = None
    then: Callable[[RecordState, dict[str, Any]], Plan[None]] | None = None


Decide = Callable[[RecordState, dict[str, Any]], Decision]


def history(record_id: str) -> Plan[tuple[dict[str, Any], list[Event]]]:
    record = one((yield Step("workflow/get_record", {"record_id": record_id})))
    if record is None:
        raise NotFound("record", record_id)
    rows = yield Step("workflow/record_events", {"record_id": record_id})
    return record["record"], [Event.from_props(r["event"]) for r in rows]


def state_of(record_id: str) -> Plan[tuple[dict[str, Any], RecordState]]:
    record, events = yield from history(record_id)
    return record, fold(record_id, events)


def act(record_id: str, actor: str, decide: Decide, *, expected_seq: int | None = None,
        at: dt.datetime | None = None) -> Plan[tuple[Any, RecordState]]:
    locked = one((yield Step("workflow/lock_record", {"record_id": record_id})))
    if locked is None:
        raise NotFound("record", record_id)
    record = locked["record"]
    # The decisions of the subjects the record binds, before: an objection suspends its measures
    # (no liability changes), a revocation or repair then ends them; the log gets the net change.
    day = consequences.today()
    bound_before = yield from consequences.liabilities([record_id], day)
    rows = yield Step("workflow/record_events", {"record_id": record_id})
    state = fold(record_id, [Event.from_props(r["event"]) for r in rows])
    if expected_seq is not None and expected_seq != state.seq:
        raise Conflict("stale", f"record {record_id} is at event {state.seq}, not {expected_seq}: "
                                "reload its history and retry")
    decision = decide(state, record)
    new: list[Event] = []
    for ne in decision.events:
        e = Event.new(record_id, state.seq + 1, actor, ne.kind, ne.data, ne.reason, at)
        state = apply(state, e)
        new.append(e)
    if new:
        yield Step("workflow/append_events", {"record_id": record_id, "events": [e.to_props() for e in new]})
        logged = change_entries(record, new)
        if logged:
            yield Log(logged)
        subjects = {lb["subject_id"]: lb["subject_kind"] for lb in bound_before.values()}
        before = yield from consequences.held(sorted(subjects), day)
        if decision.write is not None:
            yield from consequences.without_decisions(decision.write(state, record))
        yield from project(state)
    if decision.then is not None:
        yield from consequences.without_decisions(decision.then(state, record))
    if new:
        bound_after = yield from consequences.liabilities([record_id], day)
        fresh = {lb["subject_id"]: lb["subject_kind"] for lb in bound_after.values() if lb["subject_id"] not in subjects}
        after = yield from consequences.held(sorted({**subjects, **fresh}), day)
        for sid in fresh:  # bound by this record only now: before, what they held but this record's
            before[sid] = [x for x in after[sid] if x["liability_id"] not in bound_after]
        net = consequences.decision_entries({**subjects, **fresh}, before, after)
        if net:
            yield Log(net)
    return decision.result, state


# The events that change what the service says of a record (docs/changes.md); an initiation and a
# correction are logged by the facts writer that writes them, notifications are not facts.
_LOGGED = {"objection_filed": "objection.filed", "objection_resolved": "objection.resolved",
           "repair_accepted": "record.repaired", "person_released": "person.released"}


def change_entries(record: dict[str, Any], events: list[Event]) -> list[dict[str, Any]]:
    """The change-log entries of a record's new events: about its subject and the persons named
    responsible (a release: the person released), in its authority's region."""
    out = []
    for e in events:
        kind = _LOGGED.get(e.kind)
        if kind is None:
            continue
        persons = list(record.get("responsible_person_ids") or [])
        subject = record.get("reported_subject_id") or record["subject_id"]
        usccs = [record["subject_id"]] if record["subject_kind"] == "enterprise" else []
        if record["subject_kind"] == "person":
            persons.append(record["subject_id"])
        if kind == "person.released":
            persons = [e.data["person_id"]]
        actor = {"actor": e.actor if e.actor.startswith(("api:", "sweep", "admin")) else f"api:{e.actor}"}
        data = {"record_id": record["record_id"], "subject_id": subject, "event_id": e.event_id, **e.data}
        if e.reason:
            data["reason"] = e.reason
        key = e.data.get("objection_id") or record["record_id"]
        # A record that ends says its status and end day before and after (what known_at reverses).
        was = {"status": record.get("status"), "ended_on": record.get("ended_on")}
        if kind == "record.repaired":
            out.append(changelog.entry(kind, key, actor, usccs=usccs, person_ids=persons,
                                       regions=[record.get("authority_region")], before=was,
                                       after={**data, "status": "repaired", "ended_on": e.data.get("on")}))
            continue
        out.append(changelog.entry(kind, key, actor, usccs=usccs, person_ids=persons,
                                   regions=[record.get("authority_region")], after=data))
        if kind == "objection.resolved" and e.data.get("outcome") == "revoked":
            out.append(changelog.entry("record.revoked", record["record_id"], actor, usccs=usccs,
                                       person_ids=persons, regions=[record.get("authority_region")], before=was,
                                       after={"status": "revoked", "ended_on": e.data.get("on"),
                                              "objection_id": e.data.get("objection_id")}))
    return out


def project(state: RecordState) -> Plan[None]:
    o = state.open_objection
    corrections = {k: (_date(v) if k in DATE_FIELDS else v) for k, v in state.corrections.items()}
    yield Step("workflow/project_record", {
        "record_id": state.record_id, "seq": state.seq, "status": state.status, "ended_on": state.ended_on,
        "suspended_on": o.notice_on if o else None, "objection_due_on": o.due_on if o else None,
        "corrections": corrections,
    })
    if state.objections:
        yield Step("workflow/project_objections", {
            "record_id": state.record_id,
            "objections": [{**asdict(x), "record_id": state.record_id} for x in state.objections.values()],
        })
    if state.notifications:
        yield Step("workflow/project_notifications", {
            "record_id": state.record_id,
            "notifications": [{**asdict(n), "status": n.status} for n in state.notifications.values()],
        })


def rebuild(record_id: str) -> Plan[RecordState]:
    """Re-derive and re-project a record's state from its events (after a reload or a repair of data)."""
    locked = one((yield Step("workflow/lock_record", {"record_id": record_id})))
    if locked is None:
        raise NotFound("record", record_id)
    rows = yield Step("workflow/record_events", {"record_id": record_id})
    state = fold(record_id, [Event.from_props(r["event"]) for r in rows])
    if state.seq:
        yield from project(state)
    return state

