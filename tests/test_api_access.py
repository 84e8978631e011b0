"""Roles and region scopes on the two GET endpoints; masking for public; the audit of person reads."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from api_helpers import (
    BEIHU_CO,
    CHANGSHA_CO,
    WANG,
    ZIXING_CO,
    assert_error,
    client,
    loaded_app,
    make_key,
)

from graph_service.access import keys
from graph_service.cypher import query


@pytest.fixture(scope="module")
def api(neo4j_driver, neo4j_conn, tmp_path_factory):
    with loaded_app(neo4j_driver, neo4j_conn, tmp_path_factory.mktemp("bundle")) as c:
        yield c, neo4j_driver


def audit_entries(graph, headers=None) -> list[dict]:
    """The audit log, or the entries written under one key (tests of this module share a graph)."""
    records = graph.execute_query(query("testing/audit_list"), subject_id=None, limit=1000).records
    entries = [r["entry"] for r in records]
    if headers is not None:
        key_id, _ = keys.parse(headers["X-API-Key"])
        entries = [e for e in entries if e["key_id"] == key_id]
    return entries


def test_public_sees_enterprises_with_persons_masked(api):
    c, graph = api
    h = make_key(graph, "public")
    e = c.get(f"/v1/enterprises/{BEIHU_CO}", headers=h).json()
    assert {r["person"]["person_id"] for r in e["roles"]} == {"4310**********1235", "4310**********0021"}
    assert {r["person"]["name"] for r in e["roles"]} == {"王*国", "李*"}
    assert all(r["person"]["masked"] for r in e["roles"])
    person_holder = next(s["holder"] for s in e["shareholders"] if s["holder"]["kind"] == "person")
    assert (person_holder["id"], person_holder["name"]) == ("4310**********1235", "王*国")
    ent_holder = next(s["holder"] for s in e["shareholders"] if s["holder"]["kind"] == "enterprise")
    assert (ent_holder["id"], ent_holder["masked"]) == (CHANGSHA_CO, False)
    assert e["records"][0]["responsible"][0]["person_id"] == "4310**********1235"
    assert WANG not in str(e) and "王建国" not in str(e)
    assert audit_entries(graph, h) == []


def test_public_may_not_read_persons(api):
    c, graph = api
    err = assert_error(c.get(f"/v1/persons/{WANG}", headers=make_key(graph, "public")), 403, "forbidden")
    assert "public" in err["message"]


def test_department_is_held_to_its_region_and_sub_regions(api):
    c, graph = api
    chenzhou = make_key(graph, "department", "431000")
    beihu = make_key(graph, "department", "431002")
    changsha = make_key(graph, "department", "430100")
    for h in (chenzhou, beihu):
        assert c.get(f"/v1/enterprises/{BEIHU_CO}", headers=h).status_code == 200
    assert c.get(f"/v1/enterprises/{ZIXING_CO}", headers=chenzhou).status_code == 200
    # outside the key's region: the answer of an unknown id (issue 15 item 5)
    err = assert_error(c.get(f"/v1/enterprises/{ZIXING_CO}", headers=beihu), 404, "not_found", "uscc")
    assert err["message"] == f"no enterprise with uscc {ZIXING_CO}"
    assert_error(c.get(f"/v1/enterprises/{BEIHU_CO}", headers=changsha), 404, "not_found", "uscc")
    assert c.get(f"/v1/enterprises/{CHANGSHA_CO}", headers=changsha).status_code == 200
    # persons too, unmasked and audited
    p = c.get(f"/v1/persons/{WANG}", headers=chenzhou)
    assert p.status_code == 200 and p.json()["name"] == "王建国"
    assert_error(c.get(f"/v1/persons/{WANG}", headers=changsha), 404, "not_found", "person_id")
    assert [(a["role"], a["subject_id"]) for a in audit_entries(graph, chenzhou)] == [("department", WANG)]
    assert audit_entries(graph, changsha) == []


def test_investigator_person_reads_need_a_purpose_and_are_audited(api):
    c, graph = api
    h = make_key(graph, "investigator")
    assert_error(c.get(f"/v1/persons/{WANG}", headers=h), 422, "purpose_required", "X-Purpose")
    assert_error(c.get(f"/v1/persons/{WANG}", headers={**h, "X-Purpose": "   "}), 422, "purpose_required", "X-Purpose")
    assert audit_entries(graph, h) == []

    purpose = "案件 郴建罚〔2023〕12号 调查"
    # headers are ASCII: non-ASCII purposes come percent-encoded (or as raw UTF-8 bytes)
    resp = c.get(f"/v1/persons/{WANG}", params={"as_of": "2023-01-01"}, headers={**h, "X-Purpose": quote(purpose)})
    assert resp.status_code == 200 and resp.json()["name"] == "王建国"
    assert c.get(f"/v1/persons/{WANG}", headers={**h, "X-Purpose": "核查".encode()}).status_code == 200
    first, second = sorted(audit_entries(graph, h), key=lambda e: e["at"])
    assert second["purpose"] == "核查" and second.get("as_of") is None
    entry = first
    assert (entry["role"], entry["purpose"], entry["subject_kind"], entry["subject_id"]) == \
        ("investigator", purpose, "person", WANG)
    assert entry["endpoint"] == "GET /v1/persons/{person_id}"
    assert entry["key_id"] and entry["at"] is not None and str(entry["as_of"]) == "2023-01-01"

    # an enterprise read is not person-level: no purpose needed, nothing audited
    assert c.get(f"/v1/enterprises/{BEIHU_CO}", headers=h).json()["roles"][0]["person"]["masked"] is False
    assert len(audit_entries(graph, h)) == 2


def test_unknown_person_is_not_audited(api):
    c, graph = api
    h = make_key(graph, "investigator")
    assert_error(c.get("/v1/persons/431081199501010013", headers={**h, "X-Purpose": "check"}),
                 404, "not_found", "person_id")
    assert audit_entries(graph, h) == []


def test_keys_optional_makes_anonymous_callers_admin(api):
    c, _ = api
    assert_error(c.get(f"/v1/enterprises/{BEIHU_CO}"), 401, "unauthorized", "X-API-Key")
    with client(api_keys_required=False) as anonymous:
        e = anonymous.get(f"/v1/enterprises/{BEIHU_CO}").json()
        assert e["roles"][0]["person"]["masked"] is False
