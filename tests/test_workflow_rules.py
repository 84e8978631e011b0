"""Pure rules of the workflow: 7-day publication deadlines and green-channel spells."""

from __future__ import annotations

from datetime import date

from graph_service.workflow.events import Event, NotificationState, fold
from graph_service.workflow.publication import judge
from graph_service.workflow.redlist import assess_green_channel


def test_publication_deadline_counts_working_days_across_national_day():
    # Fri 2025-09-26: Sun 28 (1, make-up), 29, 30, Oct 9, 10, Sat 11 (6, make-up), Mon 13 (7).
    p = judge("R", "A", date(2025, 9, 26), date(2025, 10, 13), date(2025, 11, 1))
    assert (p.deadline, p.outcome) == (date(2025, 10, 13), "on_time")
    p = judge("R", "A", date(2025, 9, 26), date(2025, 10, 14), date(2025, 11, 1))
    assert (p.outcome, p.days_late) == ("late", 1)
    p = judge("R", "A", date(2025, 9, 26), None, date(2025, 10, 20))
    assert (p.outcome, p.days_late) == ("unpublished_overdue", 7)
    assert judge("R", "A", date(2025, 9, 26), None, date(2025, 10, 13)).outcome == "pending"
    # Published after the day asked about: as of that day it was not yet published.
    assert judge("R", "A", date(2025, 9, 26), date(2025, 10, 14), date(2025, 10, 10)).outcome == "pending"


def test_publication_deadline_in_an_unknown_year_is_reported_not_guessed():
    p = judge("R", "A", date(2026, 12, 25), None, date(2027, 1, 20))
    assert p.outcome == "unknown_calendar" and p.deadline is None


def _facts(records=(), liabilities=(), established_on=None, kind="enterprise"):
    return {"subject_kind": kind, "established_on": established_on, "records": list(records),
            "liabilities": list(liabilities)}


def _rec(record_id, kind, decided_on, valid_until=None, status="in_force", ended_on=None, objections=(),
         lost_on=()):
    return {"record_id": record_id, "kind": kind, "decided_on": decided_on, "valid_until": valid_until,
            "status": status, "ended_on": ended_on, "objections": list(objections), "lost_on": list(lost_on)}


def test_days_under_objection_do_not_count_against_the_subject():
    # Penalty [2022-01-10, 2023-01-10], objection from 2022-02-01 resolved (upheld) 2022-03-01.
    rec = _rec("P", "penalty", date(2022, 1, 10), date(2023, 1, 10),
               objections=[{"notice_on": date(2022, 2, 1), "resolved_on": date(2022, 3, 1)}])
    g = assess_green_channel("S", _facts([rec]), date(2026, 1, 11))
    assert g.eligible and g.clean_since == date(2023, 1, 11)
    g = assess_green_channel("S", _facts([rec]), date(2025, 1, 15))
    assert not g.eligible
    assert [(b["from"], b["until"]) for b in g.blocking] == [
        (date(2022, 1, 10), date(2022, 2, 1)), (date(2022, 3, 1), date(2023, 1, 11))]


def test_open_objection_suspends_the_record_for_the_green_channel():
    rec = _rec("B", "black", date(2025, 1, 10), objections=[{"notice_on": date(2025, 1, 10), "resolved_on": None}])
    g = assess_green_channel("S", _facts([rec]), date(2025, 2, 1))
    assert g.eligible and g.basis == ["three_years_clean"] and "under objection" in g.notes[0]


def test_red_listing_ends_with_its_window_loss_or_suspension():
    red = _rec("R", "red", date(2024, 1, 1), date(2026, 12, 31), lost_on=[date(2025, 9, 1)],
               objections=[{"notice_on": date(2024, 6, 1), "resolved_on": date(2024, 7, 1)}])
    clean_young = _facts([red], established_on=date(2023, 1, 1))
    assert assess_green_channel("S", clean_young, date(2024, 5, 31)).basis == ["red_list"]
    assert not assess_green_channel("S", clean_young, date(2024, 6, 15)).eligible
    assert assess_green_channel("S", clean_young, date(2024, 7, 1)).eligible
    assert not assess_green_channel("S", clean_young, date(2025, 9, 1)).eligible


def test_revocation_restores_only_where_a_measure_was_applied():
    base = dict(record_id="X", at=None, actor="a", reason=None)

    def ev(seq, kind, data):
        return Event(event_id=str(seq), seq=seq, kind=kind, data=data, **base)

    state = fold("X", [
        ev(1, "notification_feedback", {"notification_id": "X|1", "applied": True, "on": "2025-01-02"}),
        ev(2, "notification_feedback", {"notification_id": "X|2", "applied": False, "on": "2025-01-02"}),
        ev(3, "objection_filed", {"objection_id": "o", "notice_on": "2025-01-05", "due_on": "2025-02-06",
                                  "filed_by": "subject"}),
        ev(4, "objection_resolved", {"objection_id": "o", "outcome": "revoked", "on": "2025-01-20",
                                     "restore": ["X|1"]}),
    ])
    assert state.status == "revoked" and state.ended_on == date(2025, 1, 20)
    assert state.notifications["X|1"].status == "restoration_pending"
    assert state.notifications["X|2"] == NotificationState("X|2", date(2025, 1, 2), "a", date(2025, 1, 2), False)
