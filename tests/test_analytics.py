"""Related-party groups and circular shareholding of a region (issue 4, item 7).

Pure tests feed the rows `analytics/region_enterprises` returns; the graph tests at the end
load a small bundle into the real Neo4j and run the entry points the API calls.
"""

from __future__ import annotations

import pytest

from graph_service.analysis.cycles import cycle_answer
from graph_service.analysis.groups import group_answer, normal_address


def rows_of(enterprises, roles=(), holdings=(), black=()):
    """Rows as the region statement returns them. enterprises: {uscc: address};
    roles: (person, uscc); holdings: (holder kind, holder id, held uscc, ratio), held anywhere."""
    out = {u: {"uscc": u, "name": f"name-{u}", "address": a, "blacklisted": u in black,
               "roles": [], "holders": [], "holdings": []} for u, a in enterprises.items()}
    for p, u in roles:
        out[u]["roles"].append({"id": p, "name": f"name-{p}", "role": "director"})
    for kind, h, t, r in holdings:
        if t in out:
            out[t]["holders"].append({"kind": kind, "id": h, "name": f"name-{h}", "ratio": r})
        if kind == "enterprise" and h in out:
            out[h]["holdings"].append({"id": t, "name": f"name-{t}", "ratio": r})
    return list(out.values())


def test_normal_address_ignores_width_and_spaces():
    assert normal_address("长沙市 岳麓区１号") == normal_address("长沙市岳麓区1号")
    assert normal_address("  ") is None and normal_address(None) is None


GROUPS = rows_of(
    {"E1": None, "E2": "长沙市 岳麓区１号", "E3": "长沙市岳麓区1号", "E4": None,
     "E5": None, "E6": None, "E7": None, "E8": "大厦", "E9": "大厦", "E10": "大 厦"},
    roles=[("p1", "E1"), ("p1", "E2"), ("p2", "E5"), ("p2", "E6"), ("p3", "E5"), ("p3", "E6"), ("p4", "E7")],
    holdings=[("enterprise", "X", "E3", 0.6), ("enterprise", "X", "E4", 0.7), ("person", "p3", "E6", 0.2)],
    black={"E5", "E6", "E3"},
)


def test_groups_ranked_by_size_with_bridges():
    out = group_answer(GROUPS, address_hub_limit=2)
    assert out["group_count"] == 2 and out["enterprises"] == 10
    first, second = out["groups"]
    # E1 -p1- E2 -address- E3 -X- E4: one group of four tied by a role, an address and a holding.
    assert (first["rank"], first["size"], first["blacklisted"]) == (1, 4, 1)
    assert [m["uscc"] for m in first["members"]] == ["E3", "E1", "E2", "E4"]  # blacklisted first
    assert first["ties"] == {"role": 2, "holding": 2, "address": 2}
    assert first["outside_holders"] == 1 and first["persons"] == 1
    # p1 alone ties E1 to the rest: removing p1 leaves E1 apart from E2, E3, E4.
    assert first["bridges"] == [{"kind": "person", "id": "p1", "name": "name-p1", "pieces": [3, 1]}]
    # E5 and E6 share two persons: neither alone bridges them.
    assert (second["size"], second["blacklisted"], second["bridges"]) == (2, 2, [])
    # The address of three enterprises is over the hub limit of two: it ties nothing.
    assert out["hub_addresses"] == [{"address": "大厦", "enterprises": 3}]


def test_groups_ranked_by_blacklisted_members():
    out = group_answer(GROUPS, rank_by="blacklisted", address_hub_limit=2)
    assert [(g["size"], g["blacklisted"]) for g in out["groups"]] == [(2, 2), (4, 1)]
    # With the hub limit above three, the three enterprises at one address form a group too.
    out = group_answer(GROUPS, address_hub_limit=3, limit=2)
    assert [g["size"] for g in out["groups"]] == [4, 3]
    assert out["groups_truncated"] is True and out["group_count"] == 3


def test_cycles_in_and_through_the_region():
    # A -> B -> C -> A inside the region; D -> X -> D through X registered elsewhere; X also
    # holds 5 % of D in a second tranche. E holds F without a cycle.
    rows = rows_of(
        {"A": None, "B": None, "C": None, "D": None, "E": None, "F": None},
        holdings=[("enterprise", "A", "B", 0.5), ("enterprise", "B", "C", 0.4), ("enterprise", "C", "A", 0.3),
                  ("enterprise", "D", "X", 0.6), ("enterprise", "X", "D", 0.15), ("enterprise", "X", "D", 0.05),
                  ("enterprise", "E", "F", 0.9), ("person", "p", "A", 0.6)],
    )
    out = cycle_answer(rows)
    assert out["component_count"] == 2
    abc, dx = out["components"]
    assert [m["uscc"] for m in abc["members"]] == ["A", "B", "C"]
    [cyc] = abc["cycles"]
    assert cyc["members"] == ["A", "B", "C"] and cyc["product"] == pytest.approx(0.06)
    # Each member's circular holding of itself: q / (1 - q) with q = 0.06 round the cycle.
    assert [m["self_holding_ratio"] for m in abc["members"]] == [pytest.approx(0.06 / 0.94)] * 3
    # D -> X -> D: 0.6 * (0.15 + 0.05) = 0.12 round the cycle; X is outside the region.
    assert [(m["uscc"], m["in_region"]) for m in dx["members"]] == [("D", True), ("X", False)]
    assert dx["cycles"][0]["ratios"] == [0.6, pytest.approx(0.2)]
    assert dx["members"][0]["self_holding_ratio"] == pytest.approx(0.12 / 0.88)


def test_cycle_count_is_capped():
    # Four enterprises all holding one another: 20 simple cycles; the cap keeps 5.
    names = ["A", "B", "C", "D"]
    rows = rows_of({n: None for n in names},
                   holdings=[("enterprise", a, b, 0.1) for a in names for b in names if a != b])
    out = cycle_answer(rows, max_cycles=5)
    [comp] = out["components"]
    assert len(comp["cycles"]) == 5 and comp["cycles_truncated"] is True
    assert cycle_answer(rows, max_cycles=20)["components"][0]["cycles_truncated"] is False
    # y_A sums the walks from A to A (the empty one counting 1), x those from B (or C, or D) to A.
    # By symmetry: x = 0.1 y_A + 0.2 x, so x = y_A / 8; y_A = 1 + 0.3 x = 1 + 0.0375 y_A = 80/77.
    # A's circular holding of itself is y_A - 1 = 3/77.
    assert comp["members"][0]["self_holding_ratio"] == pytest.approx(3 / 77)


# ---- against the real Neo4j, on a bundle written by the loader ----

from datetime import date  # noqa: E402

from test_ownership import load, person_id, run_read, uscc, write_bundle  # noqa: E402

from graph_service.analysis import NotFound  # noqa: E402
from graph_service.analysis.cycles import cycles  # noqa: E402
from graph_service.analysis.groups import groups  # noqa: E402

AS_OF = date(2024, 6, 1)
# 431002 北湖区 and 431003 苏仙区 are part of 431000 郴州市; 430102 芙蓉区 is in Changsha.
A, B, C, G = (uscc(n, "431002") for n in (11, 12, 13, 17))
D, E = uscc(14, "431003"), uscc(15, "431003")
F = uscc(16, "430102")
PP, LL = person_id(11), person_id(14)


def _holds(holder: str, held: str, ratio: str, kind: str = "enterprise") -> dict:
    """A shareholdings.csv row."""
    return {"holder_id": holder, "holder_kind": kind, "uscc": held, "ratio": ratio}


@pytest.fixture
def region_graph(graph, tmp_path):
    ent = [(A, "甲", ""), (B, "乙", ""), (C, "丙", ""), (D, "丁", "郴州市苏仙区 飞天山路8号"),
           (E, "戊", "郴州市苏仙区飞天山路８号"), (F, "己", ""), (G, "庚", "")]
    write_bundle(
        tmp_path / "r",
        enterprises=[{"uscc": u, "name": n, "address": a} for u, n, a in ent],
        persons=[{"person_id": PP, "name": "张三"}, {"person_id": LL, "name": "赵六"}],
        shareholdings=[
            _holds(PP, A, "0.6", "person"),
            _holds(A, B, "0.5"),
            _holds(B, C, "0.4"),
            _holds(C, A, "0.3"),
            _holds(F, D, "0.2"),
        ],
        roles=[{"person_id": LL, "uscc": C, "role": "legal_representative"},
               {"person_id": LL, "uscc": D, "role": "legal_representative"}],
        records=[
            {"record_id": "R1", "subject_kind": "enterprise", "subject_id": D, "kind": "black",
             "category": "market_social_order", "authority": "郴州市市场监督管理局", "authority_region": "431000",
             "decided_on": "2024-01-10", "valid_until": "2027-01-09"},
            # Listed once, but its listing ended before the day asked about.
            {"record_id": "R2", "subject_kind": "enterprise", "subject_id": E, "kind": "black",
             "category": "market_social_order", "authority": "郴州市市场监督管理局", "authority_region": "431000",
             "decided_on": "2020-01-10", "valid_until": "2021-01-09"},
        ],
    )
    load(graph, tmp_path / "r")
    return graph


def test_groups_of_a_region_in_neo4j(region_graph, neo4j_conn):
    out = run_read(neo4j_conn, groups, "431000", AS_OF)
    assert out["region"]["code"] == "431000" and out["enterprises"] == 6  # F is in Changsha
    [grp] = out["groups"]
    # A -> B -> C by holdings, C -L- D by one legal representative, D and E at one address.
    assert sorted(m["uscc"] for m in grp["members"]) == sorted([A, B, C, D, E])
    assert (grp["size"], grp["blacklisted"]) == (5, 1)
    assert [m["uscc"] for m in grp["members"] if m["blacklisted"]] == [D]
    assert grp["outside_holders"] == 1
    assert grp["bridges"] == [{"kind": "person", "id": LL, "name": "赵六", "pieces": [3, 2]}]
    # Seen from 苏仙区 alone, C is outside: L ties nothing there, the address still ties D and E.
    sub = run_read(neo4j_conn, groups, "431003", AS_OF)
    [grp] = sub["groups"]
    assert sorted(m["uscc"] for m in grp["members"]) == sorted([D, E]) and grp["bridges"] == []
    assert grp["ties"]["address"] == 2
    with pytest.raises(NotFound):
        run_read(neo4j_conn, groups, "999999", AS_OF)


def test_cycles_of_a_region_in_neo4j(region_graph, neo4j_conn):
    out = run_read(neo4j_conn, cycles, "431000", AS_OF)
    [comp] = out["components"]
    assert [m["uscc"] for m in comp["members"]] == sorted([A, B, C])
    [cyc] = comp["cycles"]
    assert cyc["product"] == pytest.approx(0.06)
    assert {m["uscc"]: m["self_holding_ratio"] for m in comp["members"]} == {
        A: pytest.approx(3 / 47), B: pytest.approx(3 / 47), C: pytest.approx(3 / 47)}
    assert run_read(neo4j_conn, cycles, "431003", AS_OF)["components"] == []


def test_a_cycle_through_several_enterprises_elsewhere_is_found(graph, tmp_path, neo4j_conn):
    # D (苏仙区, in 郴州市) -> X -> Y -> D with X and Y in Changsha: two consecutive steps outside the
    # region. X also holds Z, which leads nowhere back; W holds D from outside without a cycle.
    X, Y, Z, W = (uscc(n, "430102") for n in (21, 22, 23, 24))
    write_bundle(
        tmp_path / "c",
        enterprises=[{"uscc": u, "name": n} for u, n in ((D, "丁"), (X, "戌"), (Y, "亥"), (Z, "子"), (W, "丑"))],
        shareholdings=[
            _holds(D, X, "0.5"),
            _holds(X, Y, "0.6"),
            _holds(Y, D, "0.4"),
            _holds(X, Z, "0.3"),
            _holds(W, D, "0.1"),
        ],
    )
    load(graph, tmp_path / "c")
    out = run_read(neo4j_conn, cycles, "431000", AS_OF)
    [comp] = out["components"]
    assert [(m["uscc"], m["in_region"]) for m in comp["members"]] == sorted([(D, True), (X, False), (Y, False)])
    [cyc] = comp["cycles"]
    assert cyc["members"] == min([D, X, Y], [X, Y, D], [Y, D, X]) and cyc["product"] == pytest.approx(0.12)
    # Each member holds itself 0.12 + 0.12^2 + ... = 0.12 / 0.88 round the cycle.
    assert {m["uscc"]: m["self_holding_ratio"] for m in comp["members"]} == {
        D: pytest.approx(0.12 / 0.88), X: pytest.approx(0.12 / 0.88), Y: pytest.approx(0.12 / 0.88)}
    assert out["outside_truncated"] is False
    # Z, where X's other holding leads, is no part of it: only the ways back are kept.
    assert {(h["holder"], h["held"]) for h in comp["holdings"]} == {(D, X), (X, Y), (Y, D)}
    # A bound of two holdings leaves no room for the two outside: the cycle is not looked for.
    assert run_read(neo4j_conn, cycles, "431000", AS_OF, max_cycle_length=2)["components"] == []
    # One enterprise elsewhere allowed: the walk stops at X and says so.
    cut = run_read(neo4j_conn, cycles, "431000", AS_OF, max_outside=1)
    assert cut["components"] == [] and cut["outside_truncated"] is True
