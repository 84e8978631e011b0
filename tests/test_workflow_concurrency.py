"""Two departments acting on one record at once never lose an update (issue 5 item 10).

Threads start together on a barrier and each runs its own transaction against the real Neo4j.
Without the record lock, two of them would read the same history and append the same position
(the (record_id, seq) constraint would then fail one) or file two objections at once.
"""

from __future__ import annotations

import threading
from datetime import date

from workflow_fixtures import read, record_row, seed, uscc, write

from graph_service.workflow import objections, repair, store
from graph_service.workflow.events import Conflict

THREADS = 8
ALL_MET = {c: True for c in repair.condition_names()}


def _together(n, action):
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        barrier.wait()
        try:
            results[i] = ("ok", action(i))
        except Exception as exc:
            results[i] = ("error", exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _seed(graph):
    u = uscc(7)
    seed(graph, enterprises=[{"uscc": u, "name": "郴州并发测试有限公司"}],
         records=[record_row("R-C", u, decided_on="2025-09-01")])
    return "R-C"


def test_concurrent_actions_are_all_kept_in_order(graph):
    record = _seed(graph)
    results = _together(THREADS, lambda i: write(graph, lambda: repair.request_repair(
        record, requested_on=date(2026, 1, 5), conditions=ALL_MET, actor=f"dept-{i}", now=date(2026, 1, 5))))
    assert [kind for kind, _ in results] == ["ok"] * THREADS, results
    props, events = read(graph, lambda: store.history(record))
    assert [e.seq for e in events] == list(range(1, THREADS + 1))
    assert sorted(e.actor for e in events) == sorted(f"dept-{i}" for i in range(THREADS))
    assert props["event_seq"] == THREADS


def test_only_one_of_concurrent_objections_opens(graph):
    record = _seed(graph)
    results = _together(THREADS, lambda i: write(graph, lambda: objections.file_objection(
        record, notice_on=date(2025, 9, 30), filed_by="subject", actor=f"dept-{i}", now=date(2026, 1, 5))))
    ok = [r for kind, r in results if kind == "ok"]
    errors = [r for kind, r in results if kind == "error"]
    assert len(ok) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(e, Conflict) and e.code == "objection_open" for e in errors), errors
    _, events = read(graph, lambda: store.history(record))
    assert [e.kind for e in events] == ["objection_filed"]


def test_concurrent_resolutions_of_one_objection_one_wins(graph):
    record = _seed(graph)
    o = write(graph, lambda: objections.file_objection(
        record, notice_on=date(2025, 9, 30), filed_by="subject", actor="platform", now=date(2026, 1, 5)))
    outcomes = ["upheld", "revoked"] * (THREADS // 2)
    results = _together(THREADS, lambda i: write(graph, lambda: objections.resolve_objection(
        o.objection_id, outcome=outcomes[i], actor=f"dept-{i}", on=date(2025, 10, 20))))
    ok = [i for i, (kind, _) in enumerate(results) if kind == "ok"]
    assert len(ok) == 1
    assert all(isinstance(r, Conflict) and r.code == "objection_resolved"
               for kind, r in results if kind == "error"), results
    props, events = read(graph, lambda: store.history(record))
    assert [e.kind for e in events] == ["objection_filed", "objection_resolved"]
    winner = outcomes[ok[0]]
    assert events[1].data["outcome"] == winner
    assert props["status"] == ("revoked" if winner == "revoked" else "in_force")
