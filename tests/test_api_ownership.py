"""Ownership and control on the demo bundle, worked out by hand through the 志远 cycle.

Holdings (loaders/demo/README.md, story 4): P12 -> H1 0.80; P13 -> H1 0.05; H3 -> H1 0.10 (since
2020-01-01); H1 -> H2 0.60; P13 -> H2 0.40; H2 -> H3 0.50; P14 -> H3 0.30; H3 -> H4 0.40;
P15 -> H4 0.60; H2 -> E03 0.20; and E03's own holders P10 0.55, P09 0.15.

Once round the cycle H1 -> H2 -> H3 -> H1 multiplies by q = 0.6 * 0.5 * 0.1 = 0.03; the walks
that go round it k times add up to the factor 1 + q + q^2 + ... = 1 / (1 - q) = 1 / 0.97. So in E03:
  H2: 0.2 / 0.97 (straight to E03, or round the cycle first)
  H1: 0.6 * 0.2 / 0.97 = 0.12 / 0.97        P12: 0.8 * 0.12 / 0.97 = 0.096 / 0.97
  H3: 0.1 * 0.12 / 0.97 = 0.012 / 0.97      P14: 0.3 * 0.012 / 0.97 = 0.0036 / 0.97
  P13: 0.4 * 0.2 / 0.97 + 0.05 * 0.12 / 0.97 = 0.086 / 0.97
and H1 holds itself 0.03 / 0.97 through the cycle.
"""

from __future__ import annotations

import pytest
from api_demo import E03, H1, H2, H3, H4, P09, P10, P12, P13, P14, TODAY, admin, api, demo_app
from api_helpers import assert_error, make_key

F = 1 / 0.97


def get(c, h, path, **params):
    params.setdefault("as_of", TODAY)
    r = c.get(path, headers=h, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def ratios(tree):
    return {n["id"]: n["integrated_ratio"] for n in tree["nodes"]}


def test_penetration_up_through_the_cycle(api, admin):
    c, _ = api
    t = get(c, admin, f"/v1/enterprises/{E03}/shareholders")
    assert t["root"]["id"] == E03 and t["direction"] == "up" and not t["truncated"] and t["exact"]
    assert ratios(t) == pytest.approx({
        P10: 0.55, P09: 0.15, H2: 0.2 * F, H1: 0.12 * F, H3: 0.012 * F,
        P12: 0.096 * F, P13: 0.086 * F, P14: 0.0036 * F})
    assert {n["id"]: n["depth"] for n in t["nodes"]} == {P10: 1, P09: 1, H2: 1, H1: 2, P13: 2, H3: 3, P12: 3, P14: 4}
    assert sorted(t["cycles"][0]) == sorted([H1, H2, H3])
    edges = {(e["holder"], e["held"]): (e["ratio"], e["in_cycle"]) for e in t["edges"]}
    assert edges[(H3, H1)] == (0.1, True) and edges[(H2, E03)] == (0.2, False)
    assert t["self_holding_ratio"] == 0.0


def test_penetration_down_and_self_holding(api, admin):
    c, _ = api
    t = get(c, admin, f"/v1/enterprises/{H1}/shareholders", direction="down")
    # H1 in H2: 0.6 / 0.97; in H3: 0.6 * 0.5 / 0.97; in H4 (40 % held by H3) and in E03 (20 % held by H2):
    # 0.3 * 0.4 / 0.97 and 0.6 * 0.2 / 0.97.
    assert ratios(t) == pytest.approx({H2: 0.6 * F, H3: 0.3 * F, H4: 0.12 * F, E03: 0.12 * F})
    assert t["self_holding_ratio"] == pytest.approx(0.03 * F)


def test_before_the_cycle_existed(api, admin):
    c, _ = api
    # H3 holds H1 only since 2020-01-01: before that plain products, no cycle.
    t = get(c, admin, f"/v1/enterprises/{H3}/shareholders", as_of="2019-12-31")
    assert t["cycles"] == []
    assert ratios(t)[P12] == pytest.approx(0.24) and ratios(t)[P14] == pytest.approx(0.3)


def test_min_ratio_and_depth_caps(api, admin):
    c, _ = api
    t = get(c, admin, f"/v1/enterprises/{E03}/shareholders", min_ratio=0.1)
    # H3 (1.24 %) stays as a connector: it is on the cycle through which H1's walks reach E03.
    assert set(ratios(t)) == {P10, P09, H2, H1, H3}
    assert {n["id"] for n in t["nodes"] if n["connector"]} == {H3}
    t = get(c, admin, f"/v1/enterprises/{E03}/shareholders", max_depth=1)
    assert set(ratios(t)) == {P10, P09, H2} and t["truncated"]
    assert next(n for n in t["nodes"] if n["id"] == H2)["truncated"] == "depth"
    # Cut at H2, the walks beyond are missed: lower bounds.
    assert ratios(t)[H2] == pytest.approx(0.2)


def test_beneficial_owners_and_controller(api, admin):
    c, _ = api
    b = get(c, admin, f"/v1/enterprises/{H3}/beneficial-owners")
    # 唐丽 30 % -> 0.3 / 0.97 = 30.93 %; 欧阳志远 0.8 * 0.6 * 0.5 = 0.24 -> 0.24 / 0.97 = 24.74 %: just below.
    assert [(o["id"], o["integrated_ratio"]) for o in b["beneficial_owners"]] == [(P14, pytest.approx(0.3 * F))]
    assert b["beneficial_owners"][0]["paths"][0]["ratios"] == [0.3]
    lower = get(c, admin, f"/v1/enterprises/{H3}/beneficial-owners", threshold=0.2)
    assert {o["id"]: o["integrated_ratio"] for o in lower["beneficial_owners"]} == pytest.approx(
        {P14: 0.3 * F, P12: 0.24 * F, P13: 0.215 * F})
    via = next(o for o in lower["beneficial_owners"] if o["id"] == P12)["paths"][0]
    assert [n["id"] for n in via["nodes"]] == [P12, H1, H2, H3] and via["product"] == pytest.approx(0.24)
    # E03: 曾国华 (P10) is the registered actual controller, and holds 55 %.
    e = get(c, admin, f"/v1/enterprises/{E03}/beneficial-owners")
    assert [o["id"] for o in e["beneficial_owners"]] == [P10]
    assert e["actual_controller"]["basis"] == "registered_role"
    assert [x["id"] for x in e["actual_controller"]["controllers"]] == [P10]
    assert {x["basis"] for x in e["candidates"]} >= {"registered_role", "majority_control", "position"}


def test_roles_and_errors(api):
    c, graph = api
    public = make_key(graph, "public")
    b = get(c, public, f"/v1/enterprises/{H3}/beneficial-owners")
    owner = b["beneficial_owners"][0]
    assert owner["masked"] and owner["id"] == "4328**********3282" and owner["name"] == "唐*"
    t = get(c, public, f"/v1/enterprises/{E03}/shareholders")
    persons = [n for n in t["nodes"] if n["kind"] == "person"]
    assert persons and all(n["masked"] and "*" in n["id"] for n in persons)
    assert all("*" in e["holder"] for e in t["edges"] if e["holder_kind"] == "person")
    suxian = make_key(graph, "department", "431003")
    assert get(c, suxian, f"/v1/enterprises/{E03}/shareholders")["root"]["id"] == E03
    assert_error(c.get(f"/v1/enterprises/{H1}/shareholders", headers=suxian), 404, "not_found", "uscc")
    admin = make_key(graph, "admin")
    err = assert_error(c.get(f"/v1/enterprises/{H1[:-1]}A/shareholders", headers=admin), 422, "invalid_uscc", "uscc")
    assert "'F'" in err["message"]
    assert_error(c.get(f"/v1/enterprises/{H1}/shareholders?max_depth=0", headers=admin), 422, "invalid_request",
                 "max_depth")
    assert_error(c.get(f"/v1/enterprises/{H1}/shareholders?min_ratio=2", headers=admin), 422, "invalid_request",
                 "min_ratio")
    assert_error(c.get(f"/v1/enterprises/{H1}/beneficial-owners?threshold=0", headers=admin), 422,
                 "invalid_request", "threshold")
    assert_error(c.get(f"/v1/enterprises/{H1}/shareholders?direction=sideways", headers=admin), 422,
                 "invalid_request", "direction")
