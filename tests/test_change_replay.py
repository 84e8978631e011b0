"""Replaying the change log from empty rebuilds what the graph holds (issue 18, Tests, first point).

Random worlds (tests/test_oracle_property.py) are loaded through the loader's writers, then changed
by random sequences of later loads (roles reopened and ended, holdings corrected and ended,
enterprises renamed and moved, records added and corrected) and workflow actions (objections filed
and resolved upheld, corrected or revoked; repairs; releases), each in its own transaction as the
service runs them. After each example, the log read in `seq` order from the first entry:
(a) rebuilds the facts the graph holds (tests/change_replay.py), (b) its liability entries give
exactly the graph's liabilities, and (c) the networkx oracle run on the replayed facts alone derives
those same liabilities.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from change_replay import graph_facts, liabilities_of, oracle_facts, replay
from graph_export import read_graph, read_liabilities
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from propagation_world import provenance, record_row, write_world
from test_oracle_property import CATEGORIES, COUNTIES, day, worlds

from graph_service import propagation, runner
from graph_service.cypher import query
from graph_service.domain.catalogue import catalogue
from graph_service.propagation.in_memory import Oracle
from graph_service.propagation.writes import write_enterprises, write_records, write_roles, write_shareholdings
from graph_service.workflow import objections, repair, store
from graph_service.workflow.calendar import CalendarUnknown
from graph_service.workflow.events import Conflict
from graph_service.workflow.records import InvalidInput

ACTOR = "replay-test"
REFUSED = (Conflict, InvalidInput, CalendarUnknown, propagation.ReleaseRefused)


def after(d: date, k: int) -> date:
    """`k` steps of 120 days after `d` (the grid of the worlds' dates, so boundaries coincide)."""
    return d + timedelta(days=120 * k)


@st.composite
def steps(draw, w):
    """Later changes, as (kind, args): facts through a later load, or a workflow action. Workflow
    dates are drawn relative to the record's decision (and a release's to the end of the role it
    releases from), so that most actions are accepted rather than refused."""
    ops: list[tuple] = []
    records = st.sampled_from(w.records)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["role", "end_role", "holding", "enterprise", "record", "correct_record",
                                   "objection", "objection", "repair", "release", "release_former"]))
        if op == "role":
            ops.append((op, {"person_id": draw(st.sampled_from(w.persons))["person_id"],
                             "uscc": draw(st.sampled_from(w.enterprises))["uscc"],
                             "role": draw(st.sampled_from(["legal_representative", "actual_controller", "director",
                                                           "principal"])),
                             "title": draw(st.sampled_from([None, "经理"])), "start_on": draw(day), "end_on": None}))
        elif op == "end_role" and w.roles:
            ops.append((op, draw(st.sampled_from(w.roles)), draw(day)))
        elif op == "holding" and w.holdings:
            ops.append((op, draw(st.sampled_from(w.holdings)), draw(st.sampled_from([0.2, 0.51, 0.8])),
                        draw(st.one_of(st.none(), day))))
        elif op == "enterprise":
            ops.append((op, draw(st.sampled_from(w.enterprises)), draw(st.sampled_from(COUNTIES[:5]))))
        elif op == "record":
            ops.append((op, record_row(
                record_id=f"X{len(ops)}", subject_kind="enterprise",
                subject_id=draw(st.sampled_from(w.enterprises))["uscc"], kind="black",
                category=draw(st.sampled_from(CATEGORIES)), decided_on=draw(day), valid_until=None,
                responsible_person_ids=sorted(draw(st.sets(st.sampled_from([p["person_id"] for p in w.persons]),
                                                           max_size=1))))))
        elif op == "correct_record":
            rec = draw(records)
            changed = draw(st.sampled_from(["valid_until", "severity"]))
            value = (after(rec["decided_on"], draw(st.integers(1, 12))) - timedelta(days=1) if changed == "valid_until"
                     else "general" if rec["severity"] == "serious" else "serious")
            ops.append((op, {**rec, changed: value}))
        elif op == "objection":
            rec = draw(records)
            notice_on = after(rec["decided_on"], draw(st.integers(0, 6)))
            ops.append((op, rec["record_id"], notice_on,
                        draw(st.sampled_from([None, "upheld", "revoked", "revoked", "corrected"])),
                        after(notice_on, draw(st.integers(0, 3)))))
        elif op == "repair":
            rec = draw(records)
            ops.append((op, rec["record_id"], after(rec["decided_on"], draw(st.integers(1, 12)))))
        elif op == "release":
            rec = draw(records)
            ended = [r for r in w.roles if r["uscc"] == rec["subject_id"] and r["end_on"] is not None]
            if ended and draw(st.booleans()):
                role = draw(st.sampled_from(ended))
                person, on = role["person_id"], max(role["end_on"], rec["decided_on"])
            else:
                person, on = draw(st.sampled_from(w.persons))["person_id"], draw(day)
            ops.append((op, person, rec["record_id"], after(on, draw(st.integers(0, 2)))))
        elif op == "release_former":
            # A court record against an enterprise whose legal representative on the decision day
            # has since left: the one a court may release (rules.yaml, court_enterprise_current_holders).
            decided, person = draw(day), draw(st.sampled_from(w.persons))["person_id"]
            uscc = draw(st.sampled_from(w.enterprises))["uscc"]
            end_on = after(decided, draw(st.integers(1, 3)))
            ops.append((op, {"person_id": person, "uscc": uscc, "role": "legal_representative", "title": None,
                             "start_on": after(decided, -1), "end_on": end_on},
                        record_row(record_id=f"C{len(ops)}", subject_kind="enterprise", subject_id=uscc, kind="black",
                                   category="defy_judicial_admin", decided_on=decided, valid_until=None),
                        after(end_on, draw(st.integers(0, 1)))))
    return ops


def _objection(tx, record_id: str, notice_on: date, outcome: str | None, on: date) -> None:
    filed = runner.run(tx, objections.file_objection(record_id, notice_on=notice_on, filed_by="subject",
                                                     actor=ACTOR, grounds="test"))
    if outcome is not None:
        # A correction shortening or lengthening the record's period: its liabilities change.
        changes = {"valid_until": after(on, 2) - timedelta(days=1)} if outcome == "corrected" else None
        runner.run(tx, objections.resolve_objection(filed.objection_id, outcome=outcome, actor=ACTOR,
                                                    on=max(on, notice_on), changes=changes))


def _release(tx, person_id: str, record_id: str, on: date) -> None:
    # As POST /v1/records/{id}/releases does (graph_service.credit_reads._do_release).
    runner.run(tx, store.act(record_id, ACTOR, lambda state, record: store.Decision(
        [store.NewEvent("person_released", {"person_id": person_id, "on": on.isoformat()}, "business change")])))
    propagation.release(tx, person_id, record_id, on, "business change", ACTOR)


def _work(driver, op):
    """The transaction function of one step (a later load, or a workflow action as the API runs it)."""
    prov = provenance()
    kind = op[0]
    if kind == "role":
        return lambda tx: write_roles(tx, [op[1]], prov)
    if kind == "end_role":
        role, end_on = op[1], op[2]
        if role["start_on"] is not None and end_on <= role["start_on"]:
            return None
        return lambda tx: write_roles(tx, [{**role, "end_on": end_on}], prov)
    if kind == "holding":
        holding, ratio, end_on = op[1], op[2], op[3]
        if end_on is not None and holding["start_on"] is not None and end_on <= holding["start_on"]:
            end_on = None
        return lambda tx: write_shareholdings(tx, [{**holding, "ratio": ratio, "end_on": end_on}], prov)
    if kind == "enterprise":
        moved = {**op[1], "name": op[1]["name"] + "新", "region_code": op[2]}
        return lambda tx: write_enterprises(tx, [moved], prov)
    if kind in ("record", "correct_record"):
        return lambda tx: write_records(tx, [op[1]], prov)
    if kind == "objection":
        return lambda tx: _objection(tx, *op[1:])
    if kind == "repair":
        conditions = {c: True for c in repair.condition_names()}
        return lambda tx: runner.run(tx, repair.request_repair(op[1], requested_on=op[2], conditions=conditions,
                                                               actor=ACTOR))
    if kind == "release":
        return lambda tx: _release(tx, *op[1:])
    if kind == "release_former":
        role, rec, on = op[1:]
        apply(driver, ("role", role))
        apply(driver, ("record", rec))
        return lambda tx: _release(tx, role["person_id"], rec["record_id"], on)
    raise AssertionError(kind)


def apply(driver, op) -> None:
    work = _work(driver, op)
    if work is None:
        return
    with driver.session() as s:
        try:
            s.execute_write(work)
        except REFUSED as exc:
            # Refused as the service refuses it: nothing was written.
            event(f"refused {op[0]}: {type(exc).__name__}")


@pytest.fixture
def quiet_server_hints():
    # The server's hints about labels no node has yet would flood the output of every example.
    logger = logging.getLogger("neo4j.notifications")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def assert_log_replays(driver) -> None:
    with driver.session() as s:
        log = s.execute_read(lambda tx: tx.run(query("testing/change_log"), after=0).data())
        graph = s.execute_read(read_graph)
        materialised = s.execute_read(read_liabilities)
    replayed = replay([r["c"] for r in log])
    for kind in sorted({r["c"]["kind"] for r in log}):
        event(kind)
    # (a) the facts
    assert replayed.facts() == graph_facts(graph)
    # (b) the liabilities
    held = liabilities_of(materialised)
    assert replayed.liabilities == held
    # (c) what the oracle derives from the replayed facts alone
    assert liabilities_of(Oracle(oracle_facts(replayed), catalogue()).liabilities()) == held


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data())
def test_replaying_the_log_rebuilds_facts_and_liabilities(graph, quiet_server_hints, data):
    world = data.draw(worlds())
    graph.execute_query(query("testing/clear_graph"))
    write_world(graph, world, records_one_by_one=data.draw(st.booleans()))
    for op in data.draw(steps(world)):
        apply(graph, op)
    assert_log_replays(graph)
