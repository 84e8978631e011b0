"""GET /v1/analytics/groups and /cycles on the demo bundle's 郴州市 (431000)."""

from __future__ import annotations

import pytest
from api_demo import E01, E02, E03, E11, H1, H2, H3, P01, P02, P04, P10, TODAY, admin, api, demo_app
from api_helpers import assert_error, make_key

E12, E16, E18, E22 = "91431021MA4LQ8C2XP", "91431003MA4L7P4H43", "91431000MA4L5T8M0C", "91431002MA4LC9Y34B"


def get(c, h, path, **params):
    params.setdefault("as_of", TODAY)
    r = c.get(path, headers=h, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_groups_of_chenzhou(api, admin):
    c, _ = api
    a = get(c, admin, "/v1/analytics/groups", region="431000")
    assert a["region"]["name"] == "郴州市" and a["group_count"] == 2 and a["next_cursor"] is None
    first, second = a["groups"]
    # The 恒基 group: E01 with its subsidiary E02, tied by persons to E11, E12, E18, E22; E01 blacklisted first.
    assert first["members"][0]["uscc"] == E01
    assert {m["uscc"] for m in first["members"]} == {E01, E02, E11, E12, E18, E22}
    assert (first["size"], first["blacklisted"]) == (6, 1)
    bridges = {b["id"]: b["pieces"] for b in first["bridges"]}
    # 刘建国 (P01) alone ties E11 and E18 to E01 (he is E11's legal representative and holds 51 % of E01).
    assert bridges[P01] == [4, 2] and bridges[P02] == [5, 1] and bridges[P04] == [5, 1]
    # The 志远 group: E03 (blacklisted), H2, H3, H4 and E16 (through 曾国华, P10); H1 holds from Changsha.
    assert {m["uscc"] for m in second["members"]} == {E03, H2, H3, "91431022MA4PC1H46M", E16}
    assert second["outside_holders"] == 1
    assert {b["id"]: b["pieces"] for b in second["bridges"]} == {P10: [4, 1]}


def test_groups_pages_and_masking(api):
    c, graph = api
    public = make_key(graph, "public")
    page1 = get(c, public, "/v1/analytics/groups", region="431000", limit=1, rank_by="blacklisted")
    assert [g["rank"] for g in page1["groups"]] == [1] and page1["next_cursor"]
    assert all(b["masked"] and "*" in b["id"] for b in page1["groups"][0]["bridges"])
    page2 = get(c, public, "/v1/analytics/groups", region="431000", limit=1, rank_by="blacklisted",
                cursor=page1["next_cursor"])
    assert [g["rank"] for g in page2["groups"]] == [2] and page2["next_cursor"] is None
    assert {m["uscc"] for m in page2["groups"][0]["members"]} >= {E03, H2}


def test_cycles(api, admin):
    c, _ = api
    a = get(c, admin, "/v1/analytics/cycles", region="431000")
    assert a["component_count"] == 1
    comp = a["components"][0]
    assert {m["uscc"]: m["in_region"] for m in comp["members"]} == {H1: False, H2: True, H3: True}
    assert [cy["members"] for cy in comp["cycles"]] == [[H1, H2, H3]]
    assert comp["cycles"][0]["product"] == pytest.approx(0.03)
    # Each member holds itself 0.03 + 0.03^2 + ... = 0.03 / 0.97 through the cycle.
    assert all(m["self_holding_ratio"] == pytest.approx(0.03 / 0.97) for m in comp["members"])
    assert get(c, admin, "/v1/analytics/cycles", region="431000", as_of="2019-12-31")["components"] == []


def test_region_scope_and_errors(api):
    c, graph = api
    beihu = make_key(graph, "department", "431002")
    assert get(c, beihu, "/v1/analytics/cycles", region="431002")["region"]["code"] == "431002"
    assert_error(c.get("/v1/analytics/groups", headers=beihu, params={"region": "431000"}), 403, "outside_region",
                 "region")
    admin = make_key(graph, "admin")
    assert_error(c.get("/v1/analytics/groups", headers=admin), 422, "invalid_request", "region")
    assert_error(c.get("/v1/analytics/groups", headers=admin, params={"region": "43100"}), 422, "invalid_region",
                 "region")
    assert_error(c.get("/v1/analytics/groups", headers=admin, params={"region": "431000", "min_size": 1}), 422,
                 "invalid_request", "min_size")
    assert_error(c.get("/v1/analytics/cycles", headers=admin, params={"region": "431000", "max_cycles": 0}), 422,
                 "invalid_request", "max_cycles")


def test_members_and_bridges_outside_the_key_region_are_masked(api):
    # Issue 15 item 7: every node of an answer is scoped. H1 (长沙, 430104) closes the 志远 cycle
    # of 郴州: a Chenzhou key sees it masked, the admin in full.
    c, graph = api
    city = make_key(graph, "department", "431000")
    a = get(c, city, "/v1/analytics/cycles", region="431000")
    [comp] = a["components"]
    h1 = next(m for m in comp["members"] if not m["in_region"])
    assert h1["masked"] and h1["uscc"] != H1 and "*" in h1["uscc"]
    assert {m["uscc"] for m in comp["members"] if m["in_region"]} == {H2, H3}
    assert H1 not in str(a) and all(not m["masked"] for m in comp["members"] if m["in_region"])
    assert comp["cycles"][0]["product"] == pytest.approx(0.03)
