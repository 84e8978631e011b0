"""Scope of a key over every answer (issue 15 items 5 and 7).

Item 5: a key that may not read a subject (outside its region, or a person for the public role)
gets exactly the answer of an id that names nothing, so no status or body tells which ids exist.
Item 7: every node of an answer is scoped, not only the subject asked about: nodes outside the
key's region come masked and without flags.
"""

from __future__ import annotations

import json

import pytest
from api_helpers import BEIHU_CO, CHANGSHA_CO, LI, WANG, ZHAO, ZIXING_CO, _uscc, loaded_app, make_key

UNKNOWN_CO = _uscc("91431081MA4L9999X")   # well formed, stored nowhere
UNKNOWN_PERSON = "431081199501010013"     # idem
D = "2024-01-01"                            # CZ-B-001 in force, LI legal representative of BEIHU_CO


@pytest.fixture(scope="module")
def api(neo4j_driver, neo4j_conn, tmp_path_factory):
    with loaded_app(neo4j_driver, neo4j_conn, tmp_path_factory.mktemp("bundle")) as c:
        keys = {"beihu": make_key(neo4j_driver, "department", "431002"),
                "zixing": make_key(neo4j_driver, "department", "431081"),
                "public": make_key(neo4j_driver, "public"),
                "admin": make_key(neo4j_driver, "admin")}
        yield c, keys


def answer(resp, value: str) -> tuple[int, str]:
    """Status and body with the id asked replaced, to compare a known id's answer with an unknown's."""
    body = resp.json()
    body.pop("batch_id", None)  # a fresh uuid per batch
    return resp.status_code, json.dumps(body, ensure_ascii=False).replace(value, "<id>")


def same_as_unknown(c, h, known: str, unknown: str, request) -> tuple[int, str]:
    got, expected = answer(request(c, h, known), known), answer(request(c, h, unknown), unknown)
    assert got == expected, (got, expected)
    return got


SUBJECT_READS = {
    "enterprise": lambda c, h, x: c.get(f"/v1/enterprises/{x}", headers=h),
    "enterprise credit": lambda c, h, x: c.get(f"/v1/enterprises/{x}/credit", headers=h),
    "shareholders": lambda c, h, x: c.get(f"/v1/enterprises/{x}/shareholders", headers=h),
    "beneficial owners": lambda c, h, x: c.get(f"/v1/enterprises/{x}/beneficial-owners", headers=h),
    "network": lambda c, h, x: c.get(f"/v1/subjects/{x}/network", headers=h),
    "risk": lambda c, h, x: c.get(f"/v1/subjects/{x}/risk", headers=h),
    "paths to": lambda c, h, x: c.get("/v1/paths", params={"from": BEIHU_CO, "to": x}, headers=h),
    "paths from": lambda c, h, x: c.get("/v1/paths", params={"from": x, "to": BEIHU_CO}, headers=h),
    "check": lambda c, h, x: c.post("/v1/checks", json={"subject_id": x, "action": "public_procurement_bid"},
                                    headers=h),
    "batch check": lambda c, h, x: c.post("/v1/checks/batch", headers=h, json={
        "queries": {"a": {"subject_id": x, "action": "public_procurement_bid"}}}),
    "green channel": lambda c, h, x: c.get(f"/v1/lists/green-channel/{x}", headers=h),
}
PERSON_READS = {
    "person": lambda c, h, x: c.get(f"/v1/persons/{x}", headers=h),
    "person credit": lambda c, h, x: c.get(f"/v1/persons/{x}/credit", headers=h),
    "network": SUBJECT_READS["network"], "risk": SUBJECT_READS["risk"], "paths to": SUBJECT_READS["paths to"],
    "check": SUBJECT_READS["check"], "green channel": SUBJECT_READS["green channel"],
}


@pytest.mark.parametrize("endpoint", sorted(SUBJECT_READS))
def test_enterprise_outside_the_region_answers_as_an_unknown_one(api, endpoint):
    c, k = api
    status, body = same_as_unknown(c, k["beihu"], ZIXING_CO, UNKNOWN_CO, SUBJECT_READS[endpoint])
    assert status == 404 or json.loads(body)["responses"]["a"]["status"] == 404
    # the key does read its own region's enterprise
    if endpoint not in ("paths to", "paths from"):
        assert SUBJECT_READS[endpoint](c, k["beihu"], BEIHU_CO).status_code in (200, 201)


@pytest.mark.parametrize("endpoint", sorted(PERSON_READS))
def test_person_outside_the_region_answers_as_an_unknown_one(api, endpoint):
    c, k = api
    h = k["beihu"]
    status, _ = same_as_unknown(c, h, LI, UNKNOWN_PERSON, PERSON_READS[endpoint])
    assert status == 404


@pytest.mark.parametrize("endpoint", ["network", "risk", "paths to", "check"])
def test_public_asking_about_a_person_answers_as_an_unknown_id(api, endpoint):
    c, k = api
    status, _ = same_as_unknown(c, k["public"], WANG, UNKNOWN_PERSON, PERSON_READS[endpoint])
    assert status == 404
    # `kind=person` is refused for the role whatever the id, with no lookup
    for x in (WANG, UNKNOWN_PERSON):
        r = c.get(f"/v1/subjects/{x}/network", params={"kind": "person"}, headers=k["public"])
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize("path", ["/v1/records/{}", "/v1/records/{}/history"])
def test_record_outside_the_region_answers_as_an_unknown_one(api, path):
    c, k = api
    # CZ-P-002: decided in 431000 about 赵敏 of 431003, nothing of Beihu (431002)
    status, _ = same_as_unknown(c, k["beihu"], "CZ-P-002", "CZ-P-999",
                                lambda c, h, x: c.get(path.format(x), headers=h))
    assert status == 404
    assert c.get(path.format("CZ-P-002"), headers=k["admin"]).status_code == 200


# --- item 7: every node of an answer ------------------------------------------------------------

def hidden(text: str, *ids_and_names: str) -> None:
    for x in ids_and_names:
        assert x not in text, x


def test_paths_mask_nodes_outside_the_region(api):
    c, k = api
    # 李芳 (Zixing) — 北湖建材 (Beihu) — 资兴矿业 (Zixing): the Beihu enterprise is not the Zixing key's
    r = c.get("/v1/paths", params={"from": LI, "to": ZIXING_CO, "as_of": D}, headers=k["zixing"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["paths"] and body["paths"][0]["length"] == 2
    nodes = {n["kind"] + (":" + n["id"] if not n["masked"] else ""): n for n in body["nodes"]}
    middle = next(n for n in body["nodes"] if n["depth"] == 1)
    assert middle["masked"] and middle["flags"] is None and middle["kind"] == "enterprise"
    assert f"person:{LI}" in nodes and f"enterprise:{ZIXING_CO}" in nodes
    hidden(r.text, BEIHU_CO, "郴州北湖建材有限公司", WANG)
    # the admin sees the same path in full, flags included
    full = c.get("/v1/paths", params={"from": LI, "to": ZIXING_CO, "as_of": D}, headers=k["admin"]).json()
    beihu = next(n for n in full["nodes"] if n["id"] == BEIHU_CO)
    assert beihu["flags"]["blacklisted"] is True


def test_network_masks_nodes_outside_the_region(api):
    c, k = api
    r = c.get(f"/v1/subjects/{ZIXING_CO}/network", params={"depth": 2, "as_of": D}, headers=k["zixing"])
    assert r.status_code == 200, r.text
    body = r.json()
    by_masked = {n["masked"] for n in body["nodes"]}
    assert by_masked == {True, False}
    for n in body["nodes"]:
        assert n["masked"] == ((n["kind"], n["name"]) not in {("enterprise", "资兴东江矿业有限公司"), ("person", "李芳")})
        if n["masked"]:
            assert n["flags"] is None
    hidden(r.text, BEIHU_CO, "郴州北湖建材有限公司", ZHAO, "赵敏", WANG, "王建国")
    # edges keep linking the answer's nodes
    keys = {n["key"] for n in body["nodes"]}
    assert all(e["source"] in keys and e["target"] in keys for e in body["edges"])


def test_risk_lists_no_party_outside_the_region(api):
    c, k = api
    admin = c.get(f"/v1/subjects/{ZIXING_CO}/risk", params={"depth": 2, "as_of": D}, headers=k["admin"]).json()
    assert BEIHU_CO in {p["node"]["id"] for p in admin["parties"]}  # a black-listed holder two steps away
    r = c.get(f"/v1/subjects/{ZIXING_CO}/risk", params={"depth": 2, "as_of": D}, headers=k["zixing"])
    assert r.status_code == 200, r.text
    assert all(not p["node"]["masked"] for p in r.json()["parties"])
    hidden(r.text, BEIHU_CO, "郴州北湖建材有限公司", WANG, "王建国", ZHAO, "赵敏")


def test_ownership_masks_holders_outside_the_region(api):
    c, k = api
    r = c.get(f"/v1/enterprises/{ZIXING_CO}/shareholders", params={"as_of": D}, headers=k["zixing"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["nodes"] and all(n["masked"] for n in body["nodes"])
    assert sorted(n["integrated_ratio"] for n in body["nodes"]) == pytest.approx([0.18, 0.3])
    hidden(r.text, BEIHU_CO, "郴州北湖建材有限公司", WANG, "王建国")
    full = c.get(f"/v1/enterprises/{ZIXING_CO}/shareholders", params={"as_of": D}, headers=k["admin"]).json()
    assert {n["id"] for n in full["nodes"]} == {BEIHU_CO, WANG}
    r = c.get(f"/v1/enterprises/{ZIXING_CO}/beneficial-owners", params={"as_of": D, "threshold": 0.1},
              headers=k["zixing"])
    assert r.status_code == 200, r.text
    hidden(r.text, BEIHU_CO, "郴州北湖建材有限公司", WANG, "王建国")
