"""Objections, repair and the event history on the real Neo4j (issue 5 items 3, 4, 9)."""

from __future__ import annotations

from datetime import date

import pytest
from workflow_fixtures import read, record_row, seed, uscc, write

from graph_service.workflow import objections, repair, store
from graph_service.workflow.calendar import CalendarUnknown
from graph_service.workflow.events import Conflict, fold
from graph_service.workflow.records import InvalidInput

ACTOR = "key-dept-1"
TODAY = date(2026, 6, 1)
ALL_MET = {c: True for c in repair.condition_names()}


@pytest.fixture
def record(graph):
    u = uscc(1)
    seed(graph, enterprises=[{"uscc": u, "name": "郴州示例食品有限公司"}],
         records=[record_row("R-1", u, decided_on="2025-09-01")])
    return "R-1"


def _record(graph, record_id):
    props, _ = read(graph, lambda: store.history(record_id))
    return props


def _file(graph, record_id, notice_on=date(2025, 9, 30), now=TODAY, **kw):
    return write(graph, lambda: objections.file_objection(
        record_id, notice_on=notice_on, filed_by="subject", actor=ACTOR, grounds="wrong subject", now=now, **kw))


def test_objection_suspends_from_the_notice_and_is_due_in_20_working_days(graph, record):
    o = _file(graph, record)
    assert o.due_on == date(2025, 11, 4) and o.status == "open"
    r = _record(graph, record)
    assert r["suspended_on"] == date(2025, 9, 30) and r["objection_due_on"] == date(2025, 11, 4)
    assert r["status"] == "in_force" and r["event_seq"] == 1

    def suspended(d):
        return read(graph, lambda: objections.suspensions([record, "R-none"], d))

    assert set(suspended(date(2025, 9, 30))) == {record}
    assert suspended(date(2025, 9, 29)) == {}
    note = objections.suspension_note(suspended(date(2025, 10, 15))[record])
    assert o.objection_id in note and "suspended" in note


def test_overdue_verifications(graph, record):
    o = _file(graph, record)
    assert read(graph, lambda: objections.overdue(date(2025, 11, 4))) == []  # the due day is not late
    late = read(graph, lambda: objections.overdue(date(2025, 11, 5)))
    assert [x["objection"]["objection_id"] for x in late] == [o.objection_id]
    write(graph, lambda: objections.resolve_objection(o.objection_id, outcome="upheld", actor=ACTOR,
                                                      on=date(2025, 11, 10)))
    # Resolved late: overdue on the days it was still open, not after.
    assert len(read(graph, lambda: objections.overdue(date(2025, 11, 7)))) == 1
    assert read(graph, lambda: objections.overdue(date(2025, 11, 10))) == []


def test_one_open_objection_at_a_time(graph, record):
    _file(graph, record)
    with pytest.raises(Conflict) as err:
        _file(graph, record, notice_on=date(2025, 10, 9))
    assert err.value.code == "objection_open"
    assert _record(graph, record)["event_seq"] == 1  # nothing written by the refused action


def test_objection_whose_deadline_the_calendar_does_not_know_is_refused(graph, record):
    with pytest.raises(CalendarUnknown):
        _file(graph, record, notice_on=date(2026, 12, 20), now=date(2026, 12, 21))
    assert _record(graph, record).get("event_seq") is None  # nothing written


def test_objection_input_is_checked(graph, record):
    with pytest.raises(InvalidInput) as err:
        _file(graph, record, notice_on=date(2025, 8, 1))
    assert err.value.field == "notice_on"
    with pytest.raises(InvalidInput) as err:
        _file(graph, record, notice_on=date(2026, 6, 2))
    assert err.value.field == "notice_on"
    with pytest.raises(store.NotFound):
        _file(graph, "R-unknown")


def test_upheld_ends_the_suspension_and_measures_resume(graph, record):
    o = _file(graph, record)
    resolved, state = write(graph, lambda: objections.resolve_objection(
        o.objection_id, outcome="upheld", actor="key-provider", on=date(2025, 10, 20), reason="verified"))
    assert resolved.status == "upheld" and resolved.resolved_on == date(2025, 10, 20)
    assert state.status == "in_force" and state.suspended_on is None
    r = _record(graph, record)
    assert r.get("suspended_on") is None and r["status"] == "in_force"
    # History keeps the window: suspended [notice, resolution).
    s = lambda d: read(graph, lambda: objections.suspensions([record], d))  # noqa: E731
    assert set(s(date(2025, 10, 19))) == {record} and s(date(2025, 10, 20)) == {}
    with pytest.raises(Conflict) as err:
        write(graph, lambda: objections.resolve_objection(o.objection_id, outcome="revoked", actor=ACTOR,
                                                          on=date(2025, 10, 21)))
    assert err.value.code == "objection_resolved"


def test_corrected_changes_the_record_through_the_loader_path(graph):
    u = uscc(3)
    seed(graph, enterprises=[{"uscc": u, "name": "郴州示例建设有限公司"}],
         records=[record_row("R-36", u, decided_on="2026-04-15", kind="penalty", category="construction",
                             severity="serious")])
    record = "R-36"
    assert _record(graph, record)["valid_until"] == date(2029, 4, 15)  # Order 36, serious: 3 years
    o = _file(graph, record, notice_on=date(2026, 5, 6))
    _, _state = write(graph, lambda: objections.resolve_objection(
        o.objection_id, outcome="corrected", actor="key-provider", on=date(2026, 5, 20),
        changes={"severity": "general", "legal_basis": "建筑法 第六十五条"}))
    r = _record(graph, record)
    assert r["severity"] == "general" and r["legal_basis"] == "建筑法 第六十五条"
    # valid_until was the default for the old severity: recomputed for the corrected one.
    assert r["valid_until"] == date(2027, 4, 15)  # Order 36, general: 1 year
    assert r["src_load"] == "api:key-provider"
    assert r.get("suspended_on") is None and r["status"] == "in_force"
    _, events = read(graph, lambda: store.history(record))
    changes = events[-1].data["changes"]
    assert changes["severity"] == {"old": "serious", "new": "general"}


def test_correction_is_validated_like_records_csv(graph, record):
    o = _file(graph, record)
    with pytest.raises(InvalidInput) as err:
        write(graph, lambda: objections.resolve_objection(
            o.objection_id, outcome="corrected", actor=ACTOR, on=date(2025, 10, 20),
            changes={"category": "littering"}))
    assert err.value.field == "changes.category"
    with pytest.raises(InvalidInput) as err:
        write(graph, lambda: objections.resolve_objection(
            o.objection_id, outcome="corrected", actor=ACTOR, on=date(2025, 10, 20),
            changes={"subject_id": uscc(2)}))
    assert err.value.field == "changes.subject_id"
    with pytest.raises(InvalidInput) as err:
        write(graph, lambda: objections.resolve_objection(
            o.objection_id, outcome="corrected", actor=ACTOR, on=date(2025, 10, 20),
            changes={"valid_until": "2025-01-01"}))
    assert err.value.field == "changes.valid_until"
    assert _record(graph, record)["event_seq"] == 1


def test_revoked_ends_the_record(graph, record):
    o = _file(graph, record)
    _, _state = write(graph, lambda: objections.resolve_objection(
        o.objection_id, outcome="revoked", actor="key-provider", on=date(2025, 10, 20), reason="wrong subject"))
    r = _record(graph, record)
    assert r["status"] == "revoked" and r["ended_on"] == date(2025, 10, 20)
    with pytest.raises(Conflict) as err:
        _file(graph, record, notice_on=date(2025, 10, 21))
    assert err.value.code == "not_in_force"


def test_repair_refused_too_early_then_accepted(graph, record):
    # Decided 2025-09-01 (Order 58), serious: the minimum is one year.
    d = write(graph, lambda: repair.request_repair(record, requested_on=date(2026, 3, 2), conditions=ALL_MET,
                                                   actor=ACTOR, now=TODAY))
    assert not d.accepted and d.reasons == ["too_early"] and d.earliest_on == date(2026, 9, 1)
    assert _record(graph, record)["status"] == "in_force"
    d = write(graph, lambda: repair.request_repair(record, requested_on=date(2026, 9, 1), conditions=ALL_MET,
                                                   actor=ACTOR, evidence="承诺书 2026-08", now=date(2026, 9, 2)))
    assert d.accepted and d.terms.rule_version == "ndrc_order_58"
    r = _record(graph, record)
    assert r["status"] == "repaired" and r["ended_on"] == date(2026, 9, 1)
    _, events = read(graph, lambda: store.history(record))
    assert [e.kind for e in events] == ["repair_refused", "repair_accepted"]
    assert events[1].data["conditions"] == ALL_MET and events[1].actor == ACTOR
    d = write(graph, lambda: repair.request_repair(record, requested_on=date(2026, 9, 2), conditions=ALL_MET,
                                                   actor=ACTOR, now=date(2026, 9, 2)))
    assert d.reasons == ["not_in_force"]


def test_repair_waits_for_an_open_objection(graph, record):
    _file(graph, record)
    d = write(graph, lambda: repair.request_repair(record, requested_on=date(2026, 9, 1), conditions=ALL_MET,
                                                   actor=ACTOR, now=date(2026, 9, 2)))
    assert not d.accepted and d.reasons == ["objection_open"]


def test_state_is_the_fold_of_the_history(graph, record):
    o = _file(graph, record)
    write(graph, lambda: objections.resolve_objection(o.objection_id, outcome="upheld", actor=ACTOR,
                                                      on=date(2025, 10, 20)))
    write(graph, lambda: repair.request_repair(record, requested_on=date(2026, 9, 1), conditions=ALL_MET,
                                               actor=ACTOR, now=date(2026, 9, 2)))
    props, events = read(graph, lambda: store.history(record))
    state = fold(record, events)
    assert [e.seq for e in events] == [1, 2, 3]
    assert (props["status"], props["ended_on"], props["event_seq"]) == (state.status, state.ended_on, state.seq)
    rebuilt = write(graph, lambda: store.rebuild(record))
    assert rebuilt == state
    assert _record(graph, record) == props


def test_stale_expected_seq_is_a_conflict(graph, record):
    _file(graph, record)
    with pytest.raises(Conflict) as err:
        write(graph, lambda: repair.request_repair(record, requested_on=date(2026, 3, 2), conditions=ALL_MET,
                                                   actor=ACTOR, expected_seq=0, now=TODAY))
    assert err.value.code == "stale"
