"""POST /v1/checks and /v1/checks/batch on the demo bundle's stories; every check stored."""

from __future__ import annotations

import pytest

from api_demo import E01, E03, E05, E06, P01, P08, P09, P10, P11, TODAY, demo_app
from api_helpers import assert_error, make_key
from graph_service.api import keys
from graph_service.cypher import query
from graph_service.identifiers import uscc_check_char

E07 = "92431002MA4L9K5Q1P"
UNKNOWN = "91431002MA4L2HJ44" + uscc_check_char("91431002MA4L2HJ44")


@pytest.fixture(scope="module")
def api(neo4j_driver, neo4j_conn):
    # Small chunks so that a batch of a few runs in several transactions at once.
    with demo_app(neo4j_driver, neo4j_conn, batch_chunk=2, batch_parallelism=3, batch_max_items=20) as c:
        yield c, neo4j_driver


@pytest.fixture(scope="module")
def admin(api):
    return make_key(api[1], "admin")


def check(c, h, subject_id, action, as_of=TODAY, status=200):
    body = {"subject_id": subject_id, "action": action}
    if as_of:
        body["as_of"] = as_of
    r = c.post("/v1/checks", headers=h, json=body)
    assert r.status_code == status, r.text
    return r.json()


@pytest.mark.parametrize("subject, action, as_of, decision", [
    (P08, "flight", TODAY, "restricted"),                  # 2a: the court debtor's legal representative
    (P10, "flight", TODAY, "restricted"),                  # 2a: its actual controller in office
    (E03, "public_procurement_bid", TODAY, "restricted"),  # 2a: the debtor itself
    (P09, "flight", TODAY, "clear"),                       # 2b: not in office any more
    (P09, "flight", "2026-04-01", "restricted"),           # 2b: in office then
    (P08, "flight", "2026-04-01", "clear"),                # 2b: not yet in office
    (P11, "serve_as_director_supervisor_executive", TODAY, "restricted"),  # 3: Company Law 178
    (E05, "green_channel", TODAY, "favoured"),             # 5
    (E06, "green_channel", "2025-12-01", "favoured"),      # 6: before B0001 made its LR liable
    (E06, "green_channel", TODAY, "clear"),                # 6: lost since 2026-01-20
    (E07, "public_procurement_bid", TODAY, "clear"),       # 7: an ordinary penalty
    (P01, "serve_as_legal_representative", TODAY, "restricted"),  # 1a
])
def test_stories(api, admin, subject, action, as_of, decision):
    c, _ = api
    assert check(c, admin, subject, action, as_of)["decision"] == decision


def test_basis_names_record_rule_role_path(api, admin):
    c, _ = api
    a = check(c, admin, P08, "flight")
    assert a["subject_kind"] == "person" and a["check_id"]
    b = a["basis"][0]
    assert (b["record_id"], b["rule_id"], b["role"]) == ("HN431003-2026-B0002", "court_enterprise_current_holders",
                                                        "legal_representative")
    assert b["path"][0] == "record:HN431003-2026-B0002" and b["path"][-1] == f"person:{P08}"
    assert [m["code"] for m in a["measures"]] == ["mkt_consumption_restriction"]
    assert a["measures"][0]["class"] in ("mandatory", "recommended")  # the documented name, not class_
    lost = check(c, admin, E06, "green_channel")
    assert lost["basis"][0]["effect"] == "lost" and lost["basis"][0]["lost_record_id"] == "HN431000-2026-B0001"
    assert "HN431000-2026-B0001" in lost["note"]


def test_batch_answers_each_key_like_the_single_check(api, admin):
    c, _ = api
    queries = {
        "a": {"subject_id": P08, "action": "flight", "as_of": TODAY},
        "b": {"subject_id": E05, "action": "green_channel", "as_of": TODAY},
        "c": {"subject_id": E06, "action": "green_channel", "as_of": TODAY},
        "d": {"subject_id": P09, "action": "flight", "as_of": "2026-04-01"},
        "e": {"subject_id": E07, "action": "public_procurement_bid", "as_of": TODAY},
        "bad": {"subject_id": E01[:-1] + "A", "action": "flight"},
        "unknown": {"subject_id": UNKNOWN, "action": "flight"},
        "action": {"subject_id": E01, "action": "dancing"},
    }
    r = c.post("/v1/checks/batch", headers=admin, json={"queries": queries})
    assert r.status_code == 200, r.text
    out = r.json()
    assert list(out["responses"]) == list(queries)
    for key, q in queries.items():
        single = c.post("/v1/checks", headers=admin, json=q)
        item = out["responses"][key]
        assert item["status"] == single.status_code, key
        if single.status_code == 200:
            mine = {k: v for k, v in item["result"].items() if k != "check_id"}
            assert mine == {k: v for k, v in single.json().items() if k != "check_id"}, key
        else:
            assert item["error"]["code"] == single.json()["error"]["code"], key
            assert item["error"]["field"] == f"queries.{key}." + single.json()["error"]["field"], key
    assert out["counts"] == {"restricted": 2, "favoured": 1, "clear": 2, "error": 3}
    assert out["responses"]["bad"]["status"] == 422 and "'R'" in out["responses"]["bad"]["error"]["message"]
    assert out["responses"]["unknown"]["status"] == 404


def test_batch_limits(api, admin):
    c, _ = api
    too_many = {str(i): {"subject_id": E01, "action": "flight"} for i in range(21)}
    assert_error(c.post("/v1/checks/batch", headers=admin, json={"queries": too_many}), 422, "invalid_request",
                 "queries")
    assert_error(c.post("/v1/checks/batch", headers=admin, json={"queries": {}}), 422, "invalid_request", "queries")


def test_roles_per_key(api):
    c, graph = api
    public = make_key(graph, "public")
    assert check(c, public, E03, "public_procurement_bid")["decision"] == "restricted"
    assert_error(c.post("/v1/checks", headers=public, json={"subject_id": P08, "action": "flight"}), 403,
                 "forbidden", "subject_id")
    suxian = make_key(graph, "department", "431003")
    r = c.post("/v1/checks/batch", headers=suxian, json={"queries": {
        "mine": {"subject_id": E03, "action": "public_procurement_bid"},
        "theirs": {"subject_id": E01, "action": "public_procurement_bid"}}}).json()
    assert r["responses"]["mine"]["result"]["decision"] == "restricted"
    assert r["responses"]["theirs"]["status"] == 403
    assert r["responses"]["theirs"]["error"]["code"] == "outside_region"
    assert_error(c.post("/v1/checks", json={"subject_id": E03, "action": "flight"}), 401, "unauthorized", "X-API-Key")


def test_every_answered_check_is_stored(neo4j_driver, neo4j_conn):
    with demo_app(neo4j_driver, neo4j_conn) as c:
        h = make_key(neo4j_driver, "department", "431003")
        key_id, _ = keys.parse(h["X-API-Key"])
        single = check(c, h, P08, "flight")
        batch = c.post("/v1/checks/batch", headers=h, json={"queries": {
            "x": {"subject_id": E03, "action": "public_procurement_bid", "as_of": TODAY},
            "y": {"subject_id": E01, "action": "flight"}}}).json()
    # Closing the app flushes the write-behind log.
    rows = [r["check"] for r in neo4j_driver.execute_query(query("checks/list"), key_id=key_id, limit=10).records]
    assert {(r["subject_id"], r["action"], r["decision"], r["role"]) for r in rows} == {
        (P08, "flight", "restricted", "department"), (E03, "public_procurement_bid", "restricted", "department")}
    by_id = {r["check_id"]: r for r in rows}
    assert by_id[single["check_id"]].get("batch_id") is None
    assert by_id[batch["responses"]["x"]["result"]["check_id"]]["batch_id"] == batch["batch_id"]
    assert by_id[single["check_id"]]["record_ids"] == ["HN431003-2026-B0002"]
    assert str(by_id[single["check_id"]]["as_of"]) == TODAY
