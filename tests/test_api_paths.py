"""GET /v1/paths on the demo bundle: the 志远 chain H1 -> H2 -> E03 and the paths around it."""

from __future__ import annotations

import pytest
from api_demo import E01, E03, H1, H2, H3, P12, P13, TODAY, admin, api, demo_app
from api_helpers import assert_error, make_key


def paths(c, h, **params):
    params.setdefault("as_of", TODAY)
    r = c.get("/v1/paths", headers=h, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def seqs(answer):
    return [[n.split(":", 1)[1] for n in p["nodes"]] for p in answer["paths"]]


def test_k_shortest_with_typed_dated_edges(api, admin):
    c, _ = api
    a = paths(c, admin, **{"from": H1, "to": E03, "k": 10})
    assert a["from"] == f"enterprise:{H1}" and a["to"] == f"enterprise:{E03}"
    # H1 holds 60 % of H2, H2 20 % of E03; then two detours of three links: through 罗晓东 (P13: general
    # manager and 5 % of H1, legal representative and 40 % of H2) and through H3 (10 % of H1, held 50 % by H2).
    assert seqs(a) == [[H1, H2, E03], [H1, P13, H2, E03], [H1, H3, H2, E03]] or \
        seqs(a) == [[H1, H2, E03], [H1, H3, H2, E03], [H1, P13, H2, E03]]
    assert [p["length"] for p in a["paths"]] == [2, 3, 3]
    first = a["paths"][0]["hops"]
    assert [(e["type"], e["ratio"], e["source"], e["target"]) for e in first[0]["edges"]] == \
        [("HOLDS_SHARES", 0.6, f"enterprise:{H1}", f"enterprise:{H2}")]
    assert first[1]["edges"][0]["start_on"] == "2018-01-01" and first[1]["edges"][0]["current"]
    via_p13 = next(p for p in a["paths"] if f"person:{P13}" in p["nodes"])
    # Parallel links between two nodes come on one hop: a role and a holding.
    assert sorted((e["type"], e.get("role")) for e in via_p13["hops"][0]["edges"]) == \
        [("HOLDS_ROLE", "senior_executive"), ("HOLDS_SHARES", None)]
    assert {n["id"] for n in a["nodes"]} == {H1, H2, E03, P13, H3}


def test_k_limits_and_dates_and_relations(api, admin):
    c, _ = api
    assert seqs(paths(c, admin, **{"from": H1, "to": E03, "k": 1})) == [[H1, H2, E03]]
    # H3 holds H1 only since 2020-01-01.
    assert [H1, H3, H2, E03] not in seqs(paths(c, admin, **{"from": H1, "to": E03, "k": 10, "as_of": "2019-12-31"}))
    assert len(paths(c, admin, **{"from": H1, "to": E03, "k": 10, "as_of": "2019-12-31"})["paths"]) == 2
    # Along roles alone nothing links H1 to E03; within one link neither.
    assert paths(c, admin, **{"from": H1, "to": E03, "relations": "role"})["paths"] == []
    assert paths(c, admin, **{"from": H1, "to": E03, "max_depth": 1})["paths"] == []
    # From a person: 欧阳志远 -> H1 -> H2 -> E03.
    assert seqs(paths(c, admin, **{"from": P12, "to": E03, "k": 1})) == [[P12, H1, H2, E03]]


def test_roles_and_privacy(api):
    c, graph = api
    public = make_key(graph, "public")
    # a person the key may not read answers as an unknown id, at either end
    assert_error(c.get("/v1/paths", headers=public, params={"from": P12, "to": E03}), 404, "not_found", "from")
    assert_error(c.get("/v1/paths", headers=public, params={"from": E03, "to": P12}), 404, "not_found", "to")
    a = paths(c, public, **{"from": H1, "to": E03, "k": 10})
    masked = [n for n in a["nodes"] if n["kind"] == "person"]
    assert len(masked) == 1 and masked[0]["masked"] and masked[0]["id"] == "4301**********2918"
    assert masked[0]["name"] == "罗*东" and masked[0]["flags"] is None
    beihu = make_key(graph, "department", "431002")
    # E03 is Suxian's: refused as `to` as well as `from` (issue 15 item 7: it used to be answered)
    assert_error(c.get("/v1/paths", headers=beihu, params={"from": H2, "to": E03}), 404, "not_found", "to")
    chenzhou = make_key(graph, "department", "431000")
    a = paths(c, chenzhou, **{"from": H2, "to": E03})
    assert a["paths"] and H2 in str(a) and E03 in str(a) and H1 not in str(a)  # H1 (Changsha) masked on the way
    assert_error(c.get("/v1/paths", headers=beihu, params={"from": H1, "to": E03}), 404, "not_found", "from")
    investigator = make_key(graph, "investigator")
    assert_error(c.get("/v1/paths", headers=investigator, params={"from": H1, "to": E03}), 422,
                 "purpose_required", "X-Purpose")
    # Between enterprises through enterprises only: no person-level data, no purpose needed.
    assert paths(c, investigator, **{"from": H1, "to": E03, "k": 1})["paths"]


def test_invalid_requests(api, admin):
    c, _ = api
    assert_error(c.get("/v1/paths", headers=admin, params={"from": H1, "to": H1}), 422, "invalid_request", "to")
    assert_error(c.get("/v1/paths", headers=admin, params={"from": H1, "to": E03, "k": 0}), 422, "invalid_request", "k")
    assert_error(c.get("/v1/paths", headers=admin, params={"from": H1, "to": E03, "max_depth": 7}), 422,
                 "invalid_request", "max_depth")
    assert_error(c.get("/v1/paths", headers=admin, params={"from": H1, "to": E01[:-1] + "A"}), 422, "invalid_uscc", "to")
    assert_error(c.get("/v1/paths", headers=admin, params={"to": E03}), 422, "invalid_request", "from")
