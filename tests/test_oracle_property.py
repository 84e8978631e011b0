"""Property tests (issue 3, item 5): on random small graphs written into the real Neo4j, the
liabilities, region reach and notifications propagation materialises equal, row for row, what the
independent networkx oracle derives, both after incremental changes and after a full recompute.

Random worlds have roles with overlapping and open dates, shareholding cycles, black (each
category), red and penalty records about enterprises and persons, records ending early, roles
ending later, releases, and dates on a coarse grid so that boundaries coincide.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta

import pytest
from graph_export import read_graph, read_liabilities, read_reach
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from propagation_world import (
    World,
    end_record,
    end_role,
    person_id,
    provenance,
    record_row,
    uscc,
    write_world,
)

from graph_service import credit, propagation
from graph_service.cypher import query
from graph_service.db import async_driver
from graph_service.domain.catalogue import catalogue
from graph_service.facts.models import holding_key, role_key
from graph_service.propagation.in_memory import FIELDS, oracle
from graph_service.propagation.writes import write_records, write_roles

BASE = date(2019, 1, 1)
COUNTIES = ["431002", "431003", "431081", "430102", "440106", "431000"]
ROLES = ["legal_representative", "principal", "director", "supervisor", "senior_executive",
         "actual_controller", "registered_practitioner"]
CATEGORIES = ["health_safety", "market_social_order", "defy_judicial_admin", "defy_judicial_admin", "national_defense"]

# Dates on a 120-day grid, sometimes a day before a grid point, so that role changes, decisions and
# window ends often fall on the same day or the day before.
day = st.builds(lambda k, minus: BASE + timedelta(days=120 * k - minus),
                st.integers(0, 18), st.sampled_from([0, 0, 0, 1]))
maybe_day = st.one_of(st.none(), day)


def interval(draw):
    start, end = draw(maybe_day), draw(maybe_day)
    if start is not None and end is not None and end <= start:
        start, end = end, (start if start < end else None)
        if start == end:
            end = None
    return start, end


@st.composite
def worlds(draw):
    n_ent = draw(st.integers(1, 4))
    n_per = draw(st.integers(1, 5))
    ents = [uscc(i + 1, draw(st.sampled_from(COUNTIES[:5]))) for i in range(n_ent)]
    pers = [person_id(i + 1) for i in range(n_per)]
    w = World(
        enterprises=[{"uscc": e, "name": f"E{i}", "region_code": e[2:8]} for i, e in enumerate(ents)],
        persons=[{"person_id": p, "name": f"P{i}", "region_code": draw(st.sampled_from(COUNTIES))}
                 for i, p in enumerate(pers)],
    )
    keys = set()
    for _ in range(draw(st.integers(0, 9))):
        p, e, role = draw(st.sampled_from(pers)), draw(st.sampled_from(ents)), draw(st.sampled_from(ROLES))
        start, end = interval(draw)
        key = role_key(p, e, role, start)
        if key not in keys:
            keys.add(key)
            w.roles.append({"person_id": p, "uscc": e, "role": role, "title": None, "start_on": start, "end_on": end})
    hkeys = set()
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["person", "enterprise"]))
        holder = draw(st.sampled_from(pers if kind == "person" else ents))
        target = draw(st.sampled_from(ents))
        start, end = interval(draw)
        key = holding_key(holder, target, start)
        if holder == target or key in hkeys:
            continue
        hkeys.add(key)
        w.holdings.append({"holder_kind": kind, "holder_id": holder, "uscc": target,
                           "ratio": draw(st.sampled_from([0.1, 0.25, 0.5, 0.51, 0.6, 0.9])),
                           "subscribed_capital": None, "start_on": start, "end_on": end})
    for i in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["black", "black", "black", "red", "red", "penalty"]))
        subject_kind = draw(st.sampled_from(["enterprise", "enterprise", "person"]))
        subject = draw(st.sampled_from(ents if subject_kind == "enterprise" else pers))
        decided = draw(day)
        misconduct = draw(st.one_of(st.none(), st.builds(lambda d, k: d - timedelta(days=120 * k),
                                                         st.just(decided), st.integers(0, 4))))
        valid_until = draw(st.one_of(st.none(), st.builds(lambda d, k: d + timedelta(days=120 * k - 1),
                                                          st.just(decided), st.integers(0, 12))))
        w.records.append(record_row(
            record_id=f"R{i}", subject_kind=subject_kind, subject_id=subject, kind=kind,
            category=draw(st.sampled_from(CATEGORIES)) if kind == "black" else "exemplary",
            severity=draw(st.sampled_from(["serious", "serious", "general"])) if kind != "red" else None,
            decided_on=decided, misconduct_on=misconduct, valid_until=valid_until,
            responsible_person_ids=sorted(draw(st.sets(st.sampled_from(pers), max_size=2)))
            if subject_kind == "enterprise" else []))
    return w


@st.composite
def changes(draw, w: World):
    """Changes after the load, each propagated incrementally in its own transaction."""
    ops = []
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["end_record", "end_role", "release", "add_role", "add_record"]))
        if op == "end_record":
            rec = draw(st.sampled_from(w.records))
            ops.append(("end_record", rec["record_id"], draw(st.sampled_from(["revoked", "repaired"])), draw(day)))
        elif op == "end_role" and w.roles:
            role = draw(st.sampled_from(w.roles))
            ops.append(("end_role", role_key(role["person_id"], role["uscc"], role["role"], role["start_on"]), draw(day)))
        elif op == "release":
            rec = draw(st.sampled_from(w.records))
            ops.append(("release", draw(st.sampled_from(w.persons))["person_id"], rec["record_id"], draw(day),
                        draw(st.booleans())))
        elif op == "add_role":
            start = draw(day)
            ops.append(("add_role", {"person_id": draw(st.sampled_from(w.persons))["person_id"],
                                     "uscc": draw(st.sampled_from(w.enterprises))["uscc"],
                                     "role": draw(st.sampled_from(["legal_representative", "actual_controller",
                                                                   "director", "principal"])),
                                     "title": None, "start_on": start, "end_on": None}))
        elif op == "add_record":
            subject = draw(st.sampled_from(w.enterprises))["uscc"]
            ops.append(("add_record", record_row(
                record_id=f"X{len(ops)}", subject_kind="enterprise", subject_id=subject, kind="black",
                category=draw(st.sampled_from(CATEGORIES)), decided_on=draw(day), valid_until=None)))
    return ops


def apply(driver, op) -> None:
    prov = provenance()
    with driver.session() as s:
        if op[0] == "end_record":
            s.execute_write(end_record, op[1], op[2], op[3])
        elif op[0] == "end_role":
            s.execute_write(end_role, op[1], op[2])
        elif op[0] == "release":
            _, pid, rid, on, force = op
            if force:
                # As if the court granted it whatever the graph says: the propagation must still agree.
                def forced(tx):
                    tx.run(query("propagation/release"), person_id=pid, record_id=rid, on=on, reason="test",
                           by="test").consume()
                    propagation.on_change(tx, record_ids=[rid])
                s.execute_write(forced)
            else:
                try:
                    s.execute_write(propagation.release, pid, rid, on, "business change", "test court")
                except propagation.ReleaseRefused:
                    pass
        elif op[0] == "add_role":
            # An existing key is updated (a later bundle reopening the role): also a change.
            s.execute_write(lambda tx: write_roles(tx, [op[1]], prov))
        elif op[0] == "add_record":
            s.execute_write(lambda tx: write_records(tx, [op[1]], prov))


def norm(rows):
    return sorted(({f: r.get(f) for f in FIELDS} for r in rows), key=lambda r: r["liability_id"])


def assert_matches_oracle(driver) -> None:
    with driver.session() as s:
        graph = s.execute_read(read_graph)
        materialised = s.execute_read(read_liabilities)
        reach, notifications = s.execute_read(read_reach)
    o = oracle(graph, catalogue())
    assert norm(materialised) == norm(o.liabilities())
    expected_reach = {(rid, code, reasons[0], tuple(reasons))
                      for rid, regions in o.reach().items() for code, reasons in regions.items()}
    assert {(x["record_id"], x["region"], x["reason"], tuple(x["reasons"])) for x in reach} == expected_reach
    measures = o.notification_measures()
    live = {(n["record_id"], n["region"], tuple(n["measures"])) for n in notifications if n["in_reach"]}
    assert live == {(rid, code, tuple(measures[rid])) for rid, code, _, _ in expected_reach}
    assert all(n["status"] == "pending" for n in notifications)


@pytest.fixture(autouse=True)
def quiet_server_hints():
    # The server's hints about labels no node has yet (Objection on a graph without objections)
    # would flood the output of hundreds of examples.
    logger = logging.getLogger("neo4j.notifications")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def clean(graph):
    def reset():
        graph.execute_query(query("testing/clear_graph"))
    return reset


def expected_decision(liabilities, subject_id, action, on) -> str:
    effects = {c: m.effect for c, m in catalogue().measures.items() if action in m.actions}
    found = {effects[c] for lb in liabilities if lb["bound_id"] == subject_id
             and lb["valid_from"] <= on and (lb.get("valid_to") is None or on < lb["valid_to"])
             for c in lb["measures"] if c in effects}
    return "restricted" if "restrict" in found else "favoured" if "favour" in found else "clear"


@pytest.fixture(scope="module")
def checker(neo4j_conn):
    """Answers checks through credit.check on one async driver and event loop for the module."""
    runner = asyncio.Runner()
    drv = runner.run(_open(neo4j_conn))

    def checks(questions) -> list[str]:
        async def go():
            async with drv.session(database=neo4j_conn.database) as s:
                return [(await s.execute_read(credit.check, subject, action, on))["decision"]
                        for subject, action, on in questions]
        return runner.run(go())

    yield checks
    runner.run(drv.close())
    runner.close()


async def _open(conn):
    return async_driver(conn)


def _property(clean, graph, world, ops, one_by_one, batch_size=1000):
    clean()
    write_world(graph, world, records_one_by_one=one_by_one)
    for op in ops:
        apply(graph, op)
    assert_matches_oracle(graph)
    propagation.propagate_all(graph, batch_size=batch_size)
    assert_matches_oracle(graph)


# credit_loan, not green_channel: the green channel also opens through three clean years (policy item 6,
# graph_service/workflow/redlist.py), which no liability says; credit_loan is favoured by the red list alone.
ACTIONS = ["flight", "credit_loan", "honour_award", "public_procurement_bid", "serve_as_legal_representative"]


# One test for loads and later changes: both drew the same worlds, loaded them and recomputed them in
# full; each example now does that work once and asserts both (issue 18: the suite's time).
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_loads_and_changes_match_oracle(clean, graph, checker, data):
    world = data.draw(worlds())
    ops = data.draw(changes(world))
    _property(clean, graph, world, ops, data.draw(st.booleans()), data.draw(st.sampled_from([2, 1000])))
    # Checks as of days around the windows: the day before, the first and the last day, the day after.
    with graph.session() as s:
        liabilities = s.execute_read(read_liabilities)
    subjects = [e["uscc"] for e in world.enterprises] + [p["person_id"] for p in world.persons]
    edges = sorted({d for lb in liabilities for d in (lb["valid_from"], lb.get("valid_to")) if d is not None})
    days = [d + timedelta(days=k) for d in edges for k in (-1, 0)] or [BASE]
    questions = [(data.draw(st.sampled_from(subjects)), data.draw(st.sampled_from(ACTIONS)),
                  data.draw(st.sampled_from(days))) for _ in range(3)]
    assert checker(questions) == [expected_decision(liabilities, *q) for q in questions]
