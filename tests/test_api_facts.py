"""GET /v1/enterprises/{uscc} and /v1/persons/{person_id} on a loaded bundle: the stored facts."""

from __future__ import annotations

import pytest
from api_helpers import (
    BEIHU_CO,
    CHANGSHA_CO,
    LI,
    WANG,
    ZHAO,
    ZIXING_CO,
    assert_error,
    loaded_app,
    make_key,
)


@pytest.fixture(scope="module")
def api(neo4j_driver, neo4j_conn, tmp_path_factory):
    with loaded_app(neo4j_driver, neo4j_conn, tmp_path_factory.mktemp("bundle")) as c:
        yield c, make_key(neo4j_driver, "admin")


def test_enterprise_facts(api):
    c, h = api
    resp = c.get(f"/v1/enterprises/{BEIHU_CO}", headers=h)
    assert resp.status_code == 200, resp.text
    e = resp.json()
    assert (e["uscc"], e["name"], e["kind"], e["status"]) == (BEIHU_CO, "郴州北湖建材有限公司", "enterprise", "active")
    assert (e["established_on"], e["registered_capital"], e["region_code"]) == ("2015-03-02", 500.0, "431002")
    assert e["region"]["code"] == "431002"
    assert [a["code"] for a in e["region"]["ancestors"]] == ["431000", "430000"]
    assert e["provenance"]["file"] == "enterprises.csv" and e["provenance"]["line"] == 2
    assert e["provenance"]["load"]

    roles = {(r["person"]["person_id"], r["role"], r["start_on"], r["end_on"]) for r in e["roles"]}
    assert roles == {(WANG, "legal_representative", "2018-01-01", "2023-06-01"),
                     (LI, "legal_representative", "2023-06-01", None)}
    assert all(r["provenance"]["file"] == "roles.csv" for r in e["roles"])
    assert {r["person"]["name"] for r in e["roles"]} == {"王建国", "李芳"}

    holders = {(s["holder"]["kind"], s["holder"]["id"], s["ratio"], s["end_on"]) for s in e["shareholders"]}
    assert holders == {("person", WANG, 0.6, None), ("enterprise", CHANGSHA_CO, 0.4, "2022-01-01")}
    assert [(x["enterprise"]["uscc"], x["ratio"]) for x in e["holdings"]] == [(ZIXING_CO, 0.3)]

    [rec] = e["records"]
    assert (rec["record_id"], rec["kind"], rec["category"], rec["decided_on"]) == ("CZ-B-001", "black", "health_safety", "2023-09-01")
    assert rec["subject"] == {"kind": "enterprise", "id": BEIHU_CO, "name": "郴州北湖建材有限公司", "masked": False}
    assert [p["person_id"] for p in rec["responsible"]] == [WANG]
    assert rec["authority"]["name"] == "郴州市住房和城乡建设局"
    assert rec["provenance"]["file"] == "records.csv" and rec["provenance"]["line"] == 2


def test_as_of_filters_roles_and_holdings_half_open(api):
    c, h = api
    url = f"/v1/enterprises/{BEIHU_CO}"
    # the day of the change belongs to the new legal representative
    on_change = c.get(url, params={"as_of": "2023-06-01"}, headers=h).json()
    assert [r["person"]["person_id"] for r in on_change["roles"]] == [LI]
    assert on_change["as_of"] == "2023-06-01"
    before = c.get(url, params={"as_of": "2023-05-31"}, headers=h).json()
    assert [r["person"]["person_id"] for r in before["roles"]] == [WANG]
    # the Changsha holding ended on 2022-01-01
    assert {s["holder"]["id"] for s in before["shareholders"]} == {WANG}
    early = c.get(url, params={"as_of": "2021-12-31"}, headers=h).json()
    assert {s["holder"]["id"] for s in early["shareholders"]} == {WANG, CHANGSHA_CO}
    # before the record's decision it is not in force; within its window it is
    assert early["records"][0]["in_force"] is False
    assert on_change["records"][0]["in_force"] is False
    assert c.get(url, params={"as_of": "2024-01-01"}, headers=h).json()["records"][0]["in_force"] is True


def test_person_facts(api):
    c, h = api
    p = c.get(f"/v1/persons/{WANG}", headers=h).json()
    assert (p["person_id"], p["name"], p["region"]["code"]) == (WANG, "王建国", "431002")
    assert [(r["enterprise"]["uscc"], r["role"], r["end_on"]) for r in p["roles"]] == \
        [(BEIHU_CO, "legal_representative", "2023-06-01")]
    assert [(x["enterprise"]["uscc"], x["ratio"]) for x in p["holdings"]] == [(BEIHU_CO, 0.6)]
    assert p["records"] == []
    [named] = p["named_responsible_in"]
    assert named["record_id"] == "CZ-B-001" and named["subject"]["id"] == BEIHU_CO
    assert p["provenance"]["file"] == "persons.csv"

    z = c.get(f"/v1/persons/{ZHAO}", headers=h).json()
    assert [(r["record_id"], r["kind"], r["in_force"]) for r in z["records"]] == [("CZ-P-002", "penalty", False)]
    assert c.get(f"/v1/persons/{ZHAO}", params={"as_of": "2019-04-30"}, headers=h).json()["roles"] == []


def test_unknown_but_valid_ids_are_404_beside_loaded_data(api):
    from graph_service.identifiers import uscc_check_char

    c, h = api
    other = "91431002MA4L0C5B9" + uscc_check_char("91431002MA4L0C5B9")
    assert_error(c.get(f"/v1/enterprises/{other}", headers=h), 404, "not_found", "uscc")
