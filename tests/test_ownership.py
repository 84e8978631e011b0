"""Integrated ownership, shareholder trees, beneficial owners and control (issue 4, item 3).

The pure tests build holding subgraphs in memory through the same breadth-first reader the
service uses; the graph tests at the end load small bundles into the real Neo4j.
"""

from __future__ import annotations

import asyncio
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_service.analysis import InvalidParameter
from graph_service.analysis.control import control_answer, controlled_by
from graph_service.analysis.ownership import (
    OwnershipCaps,
    check_params,
    integrated_ratios,
    tree_answer,
    walk_sums,
)
from graph_service.analysis.subgraph import ENTERPRISE, PERSON, explore

CAPS = OwnershipCaps(max_depth=10, max_nodes=100)


def E(x):
    return (ENTERPRISE, x)


def P(x):
    return (PERSON, x)


def read(holdings, root, direction="up", max_depth=10, max_nodes=100):
    """Explore in-memory holdings [(holder node, held uscc, ratio)] as the service reads Neo4j."""

    async def step(usccs):
        if direction == "up":
            return [(t, h, h[1], r) for h, t, r in holdings if t in usccs]
        return [(h[1], E(t), t, r) for h, t, r in holdings if h[0] == ENTERPRISE and h[1] in usccs]

    return asyncio.run(explore(E(root), root, direction, max_depth, max_nodes, step))


# P holds 60 % of A, A 50 % of B, B 40 % of C, C 30 % of A: one cycle A -> B -> C -> A.
CYCLE = [(P("P"), "A", 0.6), (E("A"), "B", 0.5), (E("B"), "C", 0.4), (E("C"), "A", 0.3)]


def test_cycle_integrated_ratios_by_hand():
    # Going once round the cycle multiplies by q = 0.5 * 0.4 * 0.3 = 0.06, and a walk may go
    # round any number of times: sum_k q^k = 1 / (1 - q) = 1 / 0.94 = 50/47.
    q = F(5, 10) * F(4, 10) * F(3, 10)
    assert q == F(6, 100)
    loops = 1 / (1 - q)
    assert loops == F(50, 47)
    # Up from A: P reaches A by P -> A, then any number of rounds.
    g = read(CYCLE, "A")
    v = integrated_ratios(g).values
    assert v[P("P")] == F(6, 10) * loops == F(30, 47)
    # C -> A, then rounds; B -> C -> A, then rounds.
    assert v[E("C")] == F(3, 10) * loops == F(15, 47)
    assert v[E("B")] == F(4, 10) * F(3, 10) * loops == F(6, 47)
    # A's circular holding of itself: A -> B -> C -> A, once or more: q + q^2 + ... = q / (1 - q).
    assert v[E("A")] == q * loops == F(3, 47)
    # P in B and in C: up from B and from C.
    assert integrated_ratios(read(CYCLE, "B")).values[P("P")] == F(6, 10) * F(5, 10) * loops == F(15, 47)
    assert integrated_ratios(read(CYCLE, "C")).values[P("P")] == F(6, 10) * F(5, 10) * F(4, 10) * loops == F(6, 47)
    # Down from A: A's integrated share of B and of C.
    d = integrated_ratios(read(CYCLE, "A", "down")).values
    assert d[E("B")] == F(5, 10) * loops == F(25, 47)
    assert d[E("C")] == F(5, 10) * F(4, 10) * loops == F(10, 47)
    assert d[E("A")] == F(3, 47)


def test_cycle_tree_answer():
    g = read(CYCLE, "A")
    out = tree_answer(g, integrated_ratios(g))
    nodes = {n["id"]: n for n in out["nodes"]}
    assert {k: (n["depth"], n["kind"]) for k, n in nodes.items()} == {
        "P": (1, "person"), "C": (1, "enterprise"), "B": (2, "enterprise")}
    assert nodes["P"]["integrated_ratio"] == pytest.approx(30 / 47, abs=1e-15)
    edges = {(e["holder"], e["held"]): e for e in out["edges"]}
    assert {k: e["ratio"] for k, e in edges.items()} == {
        ("P", "A"): 0.6, ("C", "A"): 0.3, ("B", "C"): 0.4, ("A", "B"): 0.5}
    assert {k for k, e in edges.items() if e["in_cycle"]} == {("C", "A"), ("B", "C"), ("A", "B")}
    assert out["self_holding_ratio"] == pytest.approx(3 / 47)
    assert out["cycles"] == [["A", "B", "C"]]
    assert out["exact"] is True and out["truncated"] is False


def test_paths_add_up_and_tranches_add_up():
    # X holds T directly (10 %) and through Y (50 % of Y, Y holds 40 % of T): 0.1 + 0.2.
    # Q holds Y in two tranches bought at different dates, both held today: 20 % + 30 %.
    h = [(E("X"), "T", 0.1), (E("X"), "Y", 0.5), (E("Y"), "T", 0.4),
         (P("Q"), "Y", 0.2), (P("Q"), "Y", 0.3), (P("R"), "X", 1.0)]
    v = integrated_ratios(read(h, "T")).values
    assert v[E("X")] == F(3, 10)
    assert v[P("Q")] == F(5, 10) * F(4, 10) == F(1, 5)
    assert v[P("R")] == F(3, 10)
    assert v[E("T")] == 0


def test_depth_and_node_caps_flag_truncation():
    chain = [(E("B"), "A", 0.9), (E("C"), "B", 0.9), (P("D"), "C", 0.9)]
    g = read(chain, "A", max_depth=2)
    assert set(g.depth) == {E("A"), E("B"), E("C")}
    assert g.truncated == {E("C"): "depth"}
    out = tree_answer(g, integrated_ratios(g))
    assert out["truncated"] is True
    assert [n["truncated"] for n in out["nodes"]] == [None, "depth"]
    # The node cap admits the larger holders of a level first.
    wide = [(P("small"), "A", 0.1), (P("big"), "A", 0.7), (P("mid"), "A", 0.2)]
    g = read(wide, "A", max_nodes=3)
    assert set(g.depth) == {E("A"), P("big"), P("mid")}
    assert g.truncated == {E("A"): "nodes"}
    assert tree_answer(g, integrated_ratios(g))["root"]["truncated"] == "nodes"


def test_min_ratio_keeps_connectors():
    # H holds all of J1 and J2, each holding 30 % of T: H has 60 % of T, J1 and J2 30 % each.
    h = [(E("H"), "J1", 1.0), (E("H"), "J2", 1.0), (E("J1"), "T", 0.3), (E("J2"), "T", 0.3),
         (P("S"), "T", 0.05)]
    g = read(h, "T")
    out = tree_answer(g, integrated_ratios(g), min_ratio=0.5)
    nodes = {n["id"]: n for n in out["nodes"]}
    assert set(nodes) == {"H", "J1", "J2"}
    assert [nodes[k]["connector"] for k in ("H", "J1", "J2")] == [False, True, True]
    assert nodes["H"]["integrated_ratio"] == pytest.approx(0.6)
    assert {(e["holder"], e["held"]) for e in out["edges"]} == {("H", "J1"), ("H", "J2"), ("J1", "T"), ("J2", "T")}


def test_closed_cycle_is_reported_not_divided_by_zero():
    # A and B hold all of each other: the walks A -> B -> A -> ... never shrink.
    h = [(E("A"), "B", 1.0), (E("B"), "A", 1.0)]
    ws = integrated_ratios(read(h, "A"))
    assert ws.closed_cycles == [[E("A"), E("B")]]
    assert ws.values[E("B")] is None
    out = tree_answer(read(h, "A"), ws)
    assert out["closed_cycles"] == [["A", "B"]]


def test_float_solver_agrees_with_exact():
    g = read(CYCLE, "A")
    exact = integrated_ratios(g).values
    approx = integrated_ratios(g, exact_max_scc=1)
    assert approx.exact is False
    for n, v in exact.items():
        assert approx.values[n] == pytest.approx(float(v), abs=1e-12)


@st.composite
def holding_graphs(draw):
    """Random enterprises 0..n-1 whose holders' ratios add to at most 1, persons holding the rest."""
    n = draw(st.integers(2, 6))
    holdings = []
    for t in range(n):
        holders = draw(st.lists(st.integers(0, n - 1), max_size=3, unique=True))
        parts = draw(st.lists(st.integers(1, 10), min_size=len(holders) + 1, max_size=len(holders) + 1))
        total = sum(parts) + draw(st.integers(0, 5))
        for h, p in zip(holders, parts):
            holdings.append((E(f"E{h}"), f"E{t}", p / total))
        holdings.append((P(f"P{t}"), f"E{t}", parts[-1] / total))
    return n, holdings


@settings(max_examples=60, deadline=None)
@given(holding_graphs())
def test_walk_sums_match_the_power_series(case):
    _n, holdings = case
    g = read(holdings, "E0")
    ws = integrated_ratios(g)
    if ws.closed_cycles:
        return
    # Sum the walks by length: y_k = A y_{k-1}, with floats, until the terms vanish.
    succ = g.successors()
    term = {x: (1.0 if x == g.root else 0.0) for x in g.depth}
    total = dict(term)
    for _ in range(5000):
        term = {x: sum(float(r) * term[m] for m, r in succ[x].items()) for x in g.depth}
        for x in g.depth:
            total[x] += term[x]
        if max(term.values()) < 1e-13:
            break
    else:
        return  # a cycle of ratios close to 1 converges too slowly to compare by summing
    for x in g.depth:
        expect = total[x] - (1.0 if x == g.root else 0.0)
        assert float(ws.values[x]) == pytest.approx(expect, rel=1e-9, abs=1e-12)
    # Persons (and the holders the data lacks) share the root at most wholly.
    assert sum(float(v) for x, v in ws.values.items() if x[0] == PERSON) <= 1 + 1e-12


def test_walk_sums_on_plain_mapping():
    ws = walk_sums({"a": {"b": F(1, 2)}, "b": {"t": F(1, 3)}}, "t")
    assert ws.values == {"a": F(1, 6), "b": F(1, 3), "t": 1}


def test_params_are_checked():
    with pytest.raises(InvalidParameter) as e:
        check_params("sideways", 3, 0, CAPS)
    assert e.value.field == "direction"
    with pytest.raises(InvalidParameter) as e:
        check_params("up", 11, 0, CAPS)
    assert e.value.field == "max_depth"
    with pytest.raises(InvalidParameter) as e:
        check_params("up", 3, 1.5, CAPS)
    assert e.value.field == "min_ratio"


# ---- beneficial owners and control ----

def role(person_id, r, name=None):
    return {"person_id": person_id, "name": name or person_id, "role": r, "title": None}


def test_beneficial_owners_through_the_cycle():
    # P's 30/47 (about 63.8 %) of A is at or above 25 %; the cycle's enterprises are no persons.
    out = control_answer(read(CYCLE, "A"), [], 0.25, CAPS)
    assert [(o["id"], o["integrated_ratio"]) for o in out["beneficial_owners"]] == [("P", pytest.approx(30 / 47))]
    [path] = out["beneficial_owners"][0]["paths"]
    assert [n["id"] for n in path["nodes"]] == ["P", "A"]
    # P holds 60 % of A directly: majority control, basis of the actual controller.
    assert out["actual_controller"]["basis"] == "majority_control"
    assert [c["id"] for c in out["actual_controller"]["controllers"]] == ["P"]


def test_control_adds_up_through_controlled_companies():
    # M controls X (60 %) and Y (51 %); X holds 30 % and Y 25 % of T: M commands 55 % of T's votes
    # although its integrated ratio is 0.6*0.3 + 0.51*0.25 = 0.3075.
    h = [(P("M"), "X", 0.6), (P("M"), "Y", 0.51), (E("X"), "T", 0.3), (E("Y"), "T", 0.25),
         (P("N"), "T", 0.45)]
    g = read(h, "T")
    assert controlled_by(g, P("M")) == {E("X"), E("Y"), E("T")}
    out = control_answer(g, [role("L", "legal_representative")], 0.25, CAPS)
    ctl = out["actual_controller"]
    assert ctl["basis"] == "majority_control"
    [m] = ctl["controllers"]
    assert m["id"] == "M" and m["voting_ratio"] == pytest.approx(0.55)
    assert m["integrated_ratio"] == pytest.approx(0.3075)
    assert sorted(tuple(n["id"] for n in p["nodes"]) for p in m["paths"]) == [("M", "X", "T"), ("M", "Y", "T")]
    # Both M and N are beneficial owners (45 % and 30.75 %), the larger first.
    assert [o["id"] for o in out["beneficial_owners"]] == ["N", "M"]
    # The legal representative stays a candidate.
    assert [c["basis"] for c in out["candidates"]] == ["majority_control", "position"]


def test_no_majority_along_a_chain_of_halves():
    # 50 % is not more than half: neither A nor B controls X, so X is the ultimate controller of T.
    h = [(P("A"), "X", 0.5), (P("B"), "X", 0.5), (E("X"), "T", 1.0)]
    out = control_answer(read(h, "T"), [role("L", "legal_representative"), role("K", "principal")], 0.25, CAPS)
    # X controls T, and X is the ultimate majority controller (nobody controls X).
    assert out["actual_controller"]["basis"] == "majority_control"
    assert [c["id"] for c in out["actual_controller"]["controllers"]] == ["X"]
    # Held half and half by persons, T has no majority controller: the legal representative is the fallback.
    h = [(P("A"), "T", 0.5), (P("B"), "T", 0.5)]
    out = control_answer(read(h, "T"), [role("K", "principal"), role("L", "legal_representative")], 0.25, CAPS)
    assert out["actual_controller"] == {"basis": "position", "controllers": [
        {"basis": "position", "role": "legal_representative", "title": None, "kind": "person", "id": "L",
         "name": "L", "integrated_ratio": 0.0, "paths": []}]}
    assert [o["id"] for o in out["beneficial_owners"]] == ["A", "B"]


def test_registered_actual_controller_comes_first():
    h = [(P("M"), "T", 0.8)]
    out = control_answer(read(h, "T"), [role("R", "actual_controller"), role("L", "legal_representative")],
                         0.25, CAPS)
    assert out["actual_controller"]["basis"] == "registered_role"
    assert [c["id"] for c in out["actual_controller"]["controllers"]] == ["R"]
    assert [(c["basis"], c["id"]) for c in out["candidates"]] == [
        ("registered_role", "R"), ("majority_control", "M"), ("position", "L")]


# ---- against the real Neo4j, on bundles written by the loader ----

import csv  # noqa: E402
from datetime import date  # noqa: E402

from graph_service.analysis import NotFound  # noqa: E402
from graph_service.analysis.control import beneficial_owners  # noqa: E402
from graph_service.analysis.ownership import shareholders  # noqa: E402
from graph_service.identifiers import organization_code_check_char, ric_check_char, uscc_check_char  # noqa: E402

AS_OF = date(2024, 6, 1)


def uscc(n: int, region: str = "431002") -> str:
    body = f"MA{n:06d}"
    first17 = f"91{region}{body}{organization_code_check_char(body)}"
    return first17 + uscc_check_char(first17)


def person_id(n: int, region: str = "431002") -> str:
    first17 = f"{region}19800101{n:03d}"
    return first17 + ric_check_char(first17)


def write_bundle(folder, **files):
    """files: name -> list of dicts (one per row); the header is the union of keys, in order."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        cols = list(dict.fromkeys(k for r in rows for k in r))
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, cols)
            w.writeheader()
            w.writerows(rows)
    return folder


def load(graph, folder):
    from loaders import load_bundle

    result = load_bundle(graph, folder)
    assert not result.rejected, [str(i) for i in result.rejected]
    return result


def run_read(conn, fn, *args, **kwargs):
    """Runs an analysis entry point in a read transaction of the async driver, as the API does."""
    from graph_service.db import async_driver

    async def main():
        drv = async_driver(conn)
        try:
            async with drv.session(database=conn.database) as s:
                return await s.execute_read(lambda tx: fn(tx, *args, **kwargs))
        finally:
            await drv.close()

    return asyncio.run(main())


A, B, C = uscc(1), uscc(2), uscc(3)
PP, QQ, RR, LL = person_id(1), person_id(2), person_id(3), person_id(4)


@pytest.fixture
def cycle_graph(graph, tmp_path):
    write_bundle(
        tmp_path / "b",
        enterprises=[{"uscc": u, "name": n} for u, n in ((A, "甲公司"), (B, "乙公司"), (C, "丙公司"))],
        persons=[{"person_id": p, "name": n} for p, n in ((PP, "张三"), (QQ, "李四"), (RR, "王五"), (LL, "赵六"))],
        shareholdings=[
            {"holder_id": PP, "holder_kind": "person", "uscc": A, "ratio": "0.6", "start_on": "2020-01-01", "end_on": ""},
            {"holder_id": A, "holder_kind": "enterprise", "uscc": B, "ratio": "0.5", "start_on": "", "end_on": ""},
            {"holder_id": B, "holder_kind": "enterprise", "uscc": C, "ratio": "0.4", "start_on": "", "end_on": ""},
            {"holder_id": C, "holder_kind": "enterprise", "uscc": A, "ratio": "0.3", "start_on": "", "end_on": ""},
            # Sold before the day asked about, and bought after it: neither counts on AS_OF.
            {"holder_id": QQ, "holder_kind": "person", "uscc": A, "ratio": "0.1", "start_on": "2015-01-01", "end_on": "2024-06-01"},
            {"holder_id": QQ, "holder_kind": "person", "uscc": B, "ratio": "0.5", "start_on": "2024-06-02", "end_on": ""},
        ],
        roles=[
            {"person_id": RR, "uscc": B, "role": "actual_controller", "start_on": "2019-01-01", "end_on": ""},
            {"person_id": LL, "uscc": C, "role": "legal_representative", "start_on": "2019-01-01", "end_on": ""},
        ],
    )
    load(graph, tmp_path / "b")
    return graph


def test_shareholders_through_a_cycle_in_neo4j(cycle_graph, neo4j_conn):
    # The worked cycle above, loaded: P's 30/47 of A, C's 15/47, B's 6/47, A's 3/47 of itself.
    out = run_read(neo4j_conn, shareholders, A, "up", 10, 0.0, AS_OF,
                   OwnershipCaps(max_depth=10, max_nodes=100))
    got = {n["id"]: (n["depth"], n["integrated_ratio"]) for n in out["nodes"]}
    assert got == {PP: (1, pytest.approx(30 / 47)), C: (1, pytest.approx(15 / 47)), B: (2, pytest.approx(6 / 47))}
    assert out["self_holding_ratio"] == pytest.approx(3 / 47)
    assert out["root"]["name"] == "甲公司" and out["as_of"] == AS_OF and out["truncated"] is False
    down = run_read(neo4j_conn, shareholders, A, "down", 10, 0.0, AS_OF, OwnershipCaps(10, 100))
    assert {n["id"]: n["integrated_ratio"] for n in down["nodes"]} == {
        B: pytest.approx(25 / 47), C: pytest.approx(10 / 47)}
    # One level only: C's holder B is beyond the depth, so C is marked truncated.
    one = run_read(neo4j_conn, shareholders, A, "up", 1, 0.0, AS_OF, OwnershipCaps(10, 100))
    assert {n["id"]: n["truncated"] for n in one["nodes"]} == {PP: None, C: "depth"}
    assert one["truncated"] is True
    with pytest.raises(NotFound):
        run_read(neo4j_conn, shareholders, uscc(99), "up", 3, 0.0, AS_OF, OwnershipCaps(10, 100))


def test_beneficial_owners_and_controllers_in_neo4j(cycle_graph, neo4j_conn):
    caps = OwnershipCaps(max_depth=10, max_nodes=100)
    a = run_read(neo4j_conn, beneficial_owners, A, 0.25, AS_OF, caps)
    assert [(o["id"], o["integrated_ratio"]) for o in a["beneficial_owners"]] == [(PP, pytest.approx(30 / 47))]
    assert a["actual_controller"]["basis"] == "majority_control"
    assert a["actual_controller"]["controllers"][0]["id"] == PP
    # B: R is registered as actual controller; P holds 15/47 of B (about 31.9 %), Q's holding
    # starts the day after.
    b = run_read(neo4j_conn, beneficial_owners, B, 0.25, AS_OF, caps)
    assert [(o["id"], o["integrated_ratio"]) for o in b["beneficial_owners"]] == [(PP, pytest.approx(15 / 47))]
    assert run_read(neo4j_conn, beneficial_owners, B, 0.35, AS_OF, caps)["beneficial_owners"] == []
    assert [(c["id"], c["name"]) for c in b["actual_controller"]["controllers"]] == [(RR, "王五")]
    assert b["actual_controller"]["basis"] == "registered_role"
    # C: P holds 6/47 (about 12.8 %); B holds 40 %, no majority: the legal representative.
    c = run_read(neo4j_conn, beneficial_owners, C, 0.1, AS_OF, caps)
    [owner] = c["beneficial_owners"]
    assert owner["id"] == PP and owner["integrated_ratio"] == pytest.approx(6 / 47)
    assert [n["id"] for n in owner["paths"][0]["nodes"]] == [PP, A, B, C]
    assert owner["paths"][0]["product"] == pytest.approx(0.12)
    assert c["actual_controller"]["basis"] == "position"
    assert c["actual_controller"]["controllers"][0]["id"] == LL


# The demo bundle's 志远 group: 湖南志远控股 H holds 60 % of 郴州志远实业 Z, Z holds 50 % of
# 资兴志远新材料 S, and S holds 10 % of H since 2020-01-01: one cycle, q = 0.6 * 0.5 * 0.1 = 0.03.
DEMO_H, DEMO_Z, DEMO_S = "91430104MA4R8D1B4F", "91431002MA4L3F7C3L", "91431081MA4P6G2E0L"
DEMO_X, DEMO_Y, DEMO_W = "430121197005161735", "430104198501192918", "432802199009093282"


def test_demo_bundle_cycle_by_hand(graph, neo4j_conn):
    from pathlib import Path

    import loaders
    from loaders import load_bundle

    load_bundle(graph, Path(loaders.__file__).parent / "demo")
    caps = OwnershipCaps(max_depth=10, max_nodes=200)
    loops = 1 / (1 - F(6, 10) * F(5, 10) * F(1, 10))
    assert loops == F(100, 97)
    up = run_read(neo4j_conn, shareholders, DEMO_H, "up", 10, 0.0, AS_OF, caps)
    got = {n["id"]: n["integrated_ratio"] for n in up["nodes"]}
    # X (欧阳志远) holds 80 % of H; Y (罗晓东) 5 % of H and 40 % of Z; W (唐丽) 30 % of S.
    assert got[DEMO_X] == pytest.approx(float(F(8, 10) * loops))                                  # 80/97
    assert got[DEMO_Y] == pytest.approx(float((F(5, 100) + F(4, 10) * F(5, 10) * F(1, 10)) * loops))  # 7/97
    assert got[DEMO_W] == pytest.approx(float(F(3, 10) * F(1, 10) * loops))                       # 3/97
    assert got[DEMO_S] == pytest.approx(10 / 97) and got[DEMO_Z] == pytest.approx(5 / 97)
    assert up["self_holding_ratio"] == pytest.approx(3 / 97)
    # S: W's 30/97 reaches 25 %; X's 0.8 * 0.6 * 0.5 * 100/97 = 24/97 (24.7 %) does not.
    s = run_read(neo4j_conn, beneficial_owners, DEMO_S, 0.25, AS_OF, caps)
    assert [(o["id"], o["integrated_ratio"]) for o in s["beneficial_owners"]] == [(DEMO_W, pytest.approx(30 / 97))]
    x = next(c for c in run_read(neo4j_conn, beneficial_owners, DEMO_S, 0.2, AS_OF, caps)["beneficial_owners"]
             if c["id"] == DEMO_X)
    assert x["integrated_ratio"] == pytest.approx(24 / 97)
    # X commands H (80 %) and so Z (H's 60 %), but Z's 50 % of S is not more than half: S's
    # controller falls back to its legal representative, W.
    assert s["actual_controller"]["basis"] == "position"
    assert [c["id"] for c in s["actual_controller"]["controllers"]] == [DEMO_W]
    z = run_read(neo4j_conn, beneficial_owners, DEMO_Z, 0.25, AS_OF, caps)
    assert z["actual_controller"]["basis"] == "majority_control"
    [ctl] = z["actual_controller"]["controllers"]
    assert ctl["id"] == DEMO_X and ctl["voting_ratio"] == pytest.approx(0.6)
    assert [n["id"] for n in ctl["paths"][0]["nodes"]] == [DEMO_X, DEMO_H, DEMO_Z]
    h = run_read(neo4j_conn, beneficial_owners, DEMO_H, 0.25, AS_OF, caps)
    assert h["actual_controller"]["basis"] == "registered_role"
    assert [c["id"] for c in h["actual_controller"]["controllers"]] == [DEMO_X]
