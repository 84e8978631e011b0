"""Push and respond on the real Neo4j: a region's queue, acknowledgement, feedback, overdue,
suspension by an objection and restoration after revocation (issue 5 item 2)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from workflow_fixtures import read, record_row, regions, resident_id, seed, set_sent, uscc, write

from graph_service.workflow import notifications as nf
from graph_service.workflow import objections, store
from graph_service.workflow.records import InvalidInput
from graph_service.workflow.store import CHINA

DAYS = 5  # notification_overdue_working_days
SENT = datetime(2025, 9, 2, 10, 0, tzinfo=CHINA)  # Tue: due on the 5th working day after, Tue Sep 9


@pytest.fixture
def notified(graph):
    regions(graph)
    u, p = uscc(11), resident_id(11)
    seed(graph, enterprises=[{"uscc": u, "name": "郴州通知测试有限公司", "region_code": "431002"}],
         persons=[{"person_id": p, "name": "王小国"}],
         roles=[{"person_id": p, "uscc": u, "role": "legal_representative", "start_on": "2020-01-01"}],
         records=[record_row("R-N", u, decided_on="2025-09-01")])
    ids = set_sent(graph, "R-N", SENT)
    assert ids == ["R-N|430000", "R-N|431000", "R-N|431002"]
    return "R-N"


def _queue(graph, region, as_of, status=None):
    return read(graph, lambda: nf.queue(region, as_of=as_of, working_days=DAYS, status=status))


def test_queue_lists_the_measures_mandatory_first_with_the_due_day(graph, notified):
    items, total = _queue(graph, "431002", date(2025, 9, 5))
    assert total == 1
    n = items[0]
    assert n["notification_id"] == "R-N|431002" and n["status"] == "pending"
    assert n["sent_on"] == date(2025, 9, 2) and n["due_on"] == date(2025, 9, 9) and not n["overdue"]
    assert n["measures"], "propagation lists the measures"
    assert _queue(graph, "431002", date(2025, 9, 9))[0][0]["overdue"] is False  # the due day itself
    assert _queue(graph, "431002", date(2025, 9, 10))[0][0]["overdue"] is True
    assert _queue(graph, "431002", date(2025, 9, 10), "overdue")[1] == 1
    assert _queue(graph, "431002", date(2025, 9, 5), "overdue")[1] == 0
    assert _queue(graph, "431021", date(2025, 9, 5))[1] == 0  # another county: not reached


def test_acknowledge_then_feedback(graph, notified):
    n = write(graph, lambda: nf.acknowledge("R-N|431002", actor="dept-beihu", on=date(2025, 9, 3)))
    assert n["status"] == "acknowledged" and n["acknowledged_on"] == date(2025, 9, 3)
    again = write(graph, lambda: nf.acknowledge("R-N|431002", actor="dept-beihu", on=date(2025, 9, 4)))
    assert again["acknowledged_on"] == date(2025, 9, 3)
    # Acknowledged is not answered: still overdue after the due day.
    assert _queue(graph, "431002", date(2025, 9, 10), "overdue")[1] == 1
    first = n["measures"][0]
    n = write(graph, lambda: nf.feedback("R-N|431002", applied=True, measures=[first], actor="dept-beihu",
                                         on=date(2025, 9, 8), reason="已限制投标"))
    assert n["status"] == "answered" and n["applied"] is True and n["measures_applied"] == [first]
    assert _queue(graph, "431002", date(2025, 9, 10), "overdue")[1] == 0
    assert _queue(graph, "431002", date(2025, 9, 10), "answered")[1] == 1
    _, events = read(graph, lambda: store.history("R-N"))
    assert [e.kind for e in events] == ["notification_acknowledged", "notification_feedback"]
    assert events[1].reason == "已限制投标" and events[1].actor == "dept-beihu"


def test_feedback_is_checked(graph, notified):
    with pytest.raises(InvalidInput) as err:
        write(graph, lambda: nf.feedback("R-N|431002", applied=False, actor="d", on=date(2025, 9, 8)))
    assert err.value.field == "reason"
    with pytest.raises(InvalidInput) as err:
        write(graph, lambda: nf.feedback("R-N|431002", applied=True, measures=["no_such_measure"], actor="d",
                                         on=date(2025, 9, 8)))
    assert err.value.field == "measures"
    with pytest.raises(InvalidInput) as err:
        write(graph, lambda: nf.feedback("R-N|431002", applied=True, actor="d", on=date(2025, 9, 1)))
    assert err.value.field == "on"  # before it was sent
    with pytest.raises(store.NotFound):
        write(graph, lambda: nf.acknowledge("R-N|999999", actor="d"))


def test_objection_suspends_overdue_and_revocation_sends_restoration(graph, notified):
    write(graph, lambda: nf.feedback("R-N|431002", applied=True, actor="dept-beihu", on=date(2025, 9, 8)))
    o = write(graph, lambda: objections.file_objection("R-N", notice_on=date(2025, 9, 9), filed_by="subject",
                                                       actor="platform", now=date(2025, 9, 9)))
    # The city's notification is unanswered, but the record's measures are suspended.
    items, _ = _queue(graph, "431000", date(2025, 9, 20))
    assert items[0]["suspended_on"] == date(2025, 9, 9) and not items[0]["overdue"]
    write(graph, lambda: objections.resolve_objection(o.objection_id, outcome="revoked", actor="dept-city",
                                                      on=date(2025, 9, 25), reason="主体错误"))
    beihu = _queue(graph, "431002", date(2025, 9, 26))[0][0]
    city = _queue(graph, "431000", date(2025, 9, 26))[0][0]
    assert beihu["status"] == "restoration_pending" and beihu["restoration_on"] == date(2025, 9, 25)
    assert city["status"] == "pending" and not city["overdue"]  # nothing was applied there
    n = write(graph, lambda: nf.acknowledge_restoration("R-N|431002", actor="dept-beihu", on=date(2025, 9, 26)))
    assert n["status"] == "restoration_acknowledged"


def test_stats_count_the_loop(graph, notified):
    from graph_service.workflow import stats

    write(graph, lambda: nf.feedback("R-N|431002", applied=True, actor="dept-beihu", on=date(2025, 9, 8)))
    write(graph, lambda: nf.acknowledge("R-N|431000", actor="dept-city", on=date(2025, 9, 8)))
    write(graph, lambda: objections.file_objection("R-N", notice_on=date(2025, 9, 9), filed_by="subject",
                                                   actor="platform", now=date(2025, 9, 9)))

    def s(**kw):
        return read(graph, lambda: stats.stats(date_from=date(2025, 9, 1), date_to=date(2025, 9, 30),
                                               as_of=date(2025, 10, 20), **kw))

    everything = s()
    assert everything["records"] == {"black": {"total": 1, "by_category": {"health_safety": 1}}}
    assert everything["persons_reached"] == 1  # the legal representative
    assert everything["notifications"] == {"sent": 3, "acknowledged": 2, "answered": 1, "applied": 1,
                                           "restorations": 0, "feedback_rate": round(1 / 3, 4)}
    # Notice 2025-09-09: due 20 working days later (Oct 1-8 off, Sep 28 and Oct 11 worked) on Oct 13.
    assert everything["objections"] == {"total": 1, "open": 1, "upheld": 0, "corrected": 0, "revoked": 0,
                                        "overdue": 1, "resolved_late": 0}
    county = s(region_code="431002")
    assert county["records"] == {} and county["notifications"]["sent"] == 1  # decided by the city
    assert s(region_code="431000")["records"]["black"]["total"] == 1
    assert s(authority_id="431000:郴州市市场监督管理局")["notifications"]["sent"] == 3
    outside = read(graph, lambda: stats.stats(date_from=date(2025, 10, 1), date_to=date(2025, 10, 31),
                                              as_of=date(2025, 10, 31)))
    assert outside["records"] == {} and outside["notifications"]["sent"] == 0


def test_stats_count_checks_by_the_region_of_the_key(graph, notified):
    from graph_service.access import keys
    from graph_service.cypher import query
    from graph_service.workflow import stats

    beihu, _ = keys.create(graph, "department", "431002", "beihu")
    at = datetime(2025, 9, 10, 10, 0, tzinfo=CHINA)
    checks = [{"check_id": f"c{i}", "key_id": beihu, "role": "department", "at": at, "subject_id": "x",
               "subject_kind": "enterprise", "action": "public_procurement_bid", "as_of": date(2025, 9, 10),
               "decision": decision, "record_ids": ["R-N"] if decision == "restricted" else [], "batch_id": None}
              for i, decision in enumerate(["restricted", "clear", "clear"])]
    graph.execute_query(query("checks/store"), checks=checks)

    def s(**kw):
        return read(graph, lambda: stats.stats(date_from=date(2025, 9, 1), date_to=date(2025, 9, 30),
                                               as_of=date(2025, 9, 30), **kw))["checks"]

    assert s() == {"total": 3, "restricted": 1, "favoured": 0, "clear": 2}
    assert s(region_code="431000")["total"] == 3  # Beihu is in Chenzhou
    assert s(region_code="431021")["total"] == 0
    assert s(authority_id="431000:郴州市市场监督管理局") == {"total": 1, "restricted": 1, "favoured": 0, "clear": 0}
