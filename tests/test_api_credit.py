"""The credit read endpoints on the demo bundle (issue 3, item 6 and "Done when"), through HTTP:
a subject's credit with the explanation of every liability, a record's reach, releases, the
catalogue; roles, masking, audit and errors."""

from __future__ import annotations

import json

import pytest
from api_demo import (
    E01,
    E06,
    E15,
    P01,
    P02,
    P03,
    P04,
    P05,
    P06,
    P07,
    P08,
    P09,
    P10,
    P11,
    TODAY,
    demo_app,
)
from api_helpers import assert_error, make_key

from graph_service.access import keys
from graph_service.api.examples import credit as ex
from graph_service.api.models.credit import Actions, Credit, Measures, RecordReach, ReleaseResult, Rules
from graph_service.app import create_app
from graph_service.cypher import query
from graph_service.domain.catalogue import DOMAIN_DIR, CatalogueError, load_catalogue
from graph_service.identifiers import ric_check_char, uscc_check_char

B0001, B0002, B0003, B0007, B0009 = ("HN431000-2026-B0001", "HN431003-2026-B0002", "HN431023-2026-B0003",
                                     "HN440300-2026-B0007", "HN431025-2022-B0009")
P24 = "43282719860130159X"
P33 = "432801199109193954"
UNKNOWN_USCC = "91431002MA4L2HJ44" + uscc_check_char("91431002MA4L2HJ44")
UNKNOWN_PERSON = "43100219900101123" + ric_check_char("43100219900101123")
PURPOSE = {"X-Purpose": "case 2026-17"}


@pytest.fixture(scope="module")
def api(neo4j_driver, neo4j_conn):
    # A fresh demo: a release left by an earlier run would change what B0002 binds.
    neo4j_driver.execute_query(query("testing/clear_graph"), database_=neo4j_conn.database)
    with demo_app(neo4j_driver, neo4j_conn) as c:
        yield c, neo4j_driver
    # The release test changes what B0002 binds: the next module loads the demo afresh.
    neo4j_driver.execute_query(query("testing/clear_graph"), database_=neo4j_conn.database)


@pytest.fixture(scope="module")
def admin(api):
    return make_key(api[1], "admin")


def get(c, url, headers, status=200, **params):
    r = c.get(url, headers=headers, params=params)
    assert r.status_code == status, r.text
    return r.json()


def person_credit(c, h, pid, as_of=TODAY):
    return get(c, f"/v1/persons/{pid}/credit", h, as_of=as_of)


def enterprise_credit(c, h, uscc, as_of=TODAY):
    return get(c, f"/v1/enterprises/{uscc}/credit", h, as_of=as_of)


def check(c, h, subject_id, action, as_of=TODAY):
    r = c.post("/v1/checks", headers=h, json={"subject_id": subject_id, "action": action, "as_of": as_of})
    assert r.status_code == 200, r.text
    return r.json()


def of_record(credit_answer, record_id):
    return [lb for lb in credit_answer["liabilities"] if lb["record"]["record_id"] == record_id]


def assert_explained(lb):
    """Record, rule, role and dates, path, legal basis and window, and the sentence saying so."""
    assert lb["record"]["record_id"] and lb["rule"]["id"] and lb["rule"]["name_zh"]
    assert lb["path"][0] == f"record:{lb['record']['record_id']}"
    assert lb["legal_basis"] and lb["valid_from"] and lb["anchor"]
    for part in (lb["record"]["record_id"], lb["rule"]["id"], lb["legal_basis"], lb["valid_from"], lb["path"][-1]):
        assert part in lb["explanation"], (part, lb["explanation"])


# --- issue 3 "Done when", through HTTP -------------------------------------------------------

def test_legal_representative_on_the_misconduct_date_is_liable_the_later_one_is_not(api, admin):
    c, _ = api
    [lb] = of_record(person_credit(c, admin, P01), B0001)
    assert (lb["rule"]["id"], lb["role"], lb["anchor"]) == ("black_enterprise_lr_principal", "legal_representative",
                                                           "misconduct_date")
    assert (lb["anchor_on"], lb["role_start"], lb["role_end"]) == ("2025-06-18", "2012-03-01", "2025-09-15")
    assert lb["path"] == [f"record:{B0001}", f"enterprise:{E01}", "legal_representative 2012-03-01..2025-09-15",
                          f"person:{P01}"]
    assert (lb["valid_from"], lb["valid_to"]) == ("2026-01-20", "2029-01-20")
    assert {"adm_personal_record", "adm_market_ban_person"} <= set(lb["measures"])
    assert lb["bound"] == {"kind": "person", "id": P01, "name": "刘建国", "masked": False}
    assert "tested on 2025-06-18" in lb["explanation"]
    assert_explained(lb)
    p01 = person_credit(c, admin, P01)
    assert "serve_as_legal_representative" in p01["restricted_actions"]
    assert [m["code"] for m in p01["measures"] if m["class"] == "mandatory"][0] == p01["measures"][0]["code"]

    p02 = person_credit(c, admin, P02)
    assert of_record(p02, B0001) == [] and p02["measures"] == [] and p02["restricted_actions"] == []


@pytest.mark.parametrize("pid, role", [(P03, "registered_practitioner"), (P07, "director")])
def test_named_responsible_person_is_liable(api, admin, pid, role):
    c, _ = api
    lbs = of_record(person_credit(c, admin, pid), B0001)
    named = [lb for lb in lbs if lb["rule"]["id"] == "black_enterprise_named_responsible"]
    assert [lb["role"] for lb in named] == ["named_responsible"]
    assert "adm_personal_record" in named[0]["measures"]
    assert "names as directly responsible" in named[0]["explanation"]
    assert_explained(named[0])


@pytest.mark.parametrize("pid", [P04, P06, P33])
def test_director_shareholder_supervisor_not_named_are_not_reached(api, admin, pid):
    c, _ = api
    a = person_credit(c, admin, pid)
    assert a["liabilities"] == [] and a["measures"] == [] and a["restricted_actions"] == []
    assert check(c, admin, pid, "honour_award")["decision"] == "clear"


def test_senior_executive_loses_honours_but_gets_no_personal_record(api, admin):
    c, _ = api
    a = person_credit(c, admin, P05)
    [lb] = a["liabilities"]
    assert (lb["rule"]["id"], lb["role"], lb["measures"]) == ("black_enterprise_honours_executives", "senior_executive",
                                                             ["adm_honour_revocation"])
    assert_explained(lb)
    assert [m["code"] for m in a["measures"]] == ["adm_honour_revocation"]
    assert a["restricted_actions"] == ["honour_award"]
    assert check(c, admin, P05, "honour_award")["decision"] == "restricted"
    assert check(c, admin, P05, "serve_as_legal_representative")["decision"] == "clear"


@pytest.mark.parametrize("pid, role", [(P08, "legal_representative"), (P10, "actual_controller")])
def test_court_debtors_current_holders_cannot_take_a_flight(api, admin, pid, role):
    c, _ = api
    answer = check(c, admin, pid, "flight")
    assert answer["decision"] == "restricted"
    [basis] = [b for b in answer["basis"] if b["record_id"] == B0002]
    assert (basis["rule_id"], basis["role"], basis["anchor"]) == ("court_enterprise_current_holders", role, "as_of")
    assert basis["path"][0] == f"record:{B0002}" and basis["path"][-1] == f"person:{pid}"
    credit = person_credit(c, admin, pid)
    assert "flight" in credit["restricted_actions"]
    [lb] = [lb for lb in of_record(credit, B0002) if lb["rule"]["id"] == "court_enterprise_current_holders"]
    assert lb["role"] == role
    assert_explained(lb)


def test_red_listed_company_whose_legal_representative_is_liable_lost_its_green_channel(api, admin):
    c, _ = api
    before = enterprise_credit(c, admin, E06, "2025-12-01")
    assert "green_channel" in before["favoured_actions"] and before["lost_incentives"] == []
    [red] = before["liabilities"]
    assert red["rule"]["id"] == "red_enterprise_incentives"

    now = enterprise_credit(c, admin, E06)
    assert now["liabilities"] == [] and "green_channel" not in now["favoured_actions"]
    [lost] = now["lost_incentives"]
    assert (lost["lost_on"], lost["lost_record_id"]) == ("2026-01-20", B0001)
    assert lost["lost_path"][:4] == [f"record:{B0001}", f"enterprise:{E01}",
                                     "legal_representative 2012-03-01..2025-09-15", f"person:{P01}"]
    assert lost["lost_path"][-1] == f"enterprise:{E06}"
    assert f"lost from 2026-01-20 because of record {B0001}" in lost["explanation"]
    # The red-list route is lost; three clean years of its own still open the green channel (item 6).
    answer = check(c, admin, E06, "green_channel")
    assert answer["basis"][0]["lost_record_id"] == B0001
    assert answer["decision"] == "favoured" and answer["eligibility"]["basis"] == ["three_years_clean"]


def test_company_law_178_flags_the_enterprise_where_a_listed_person_serves(api, admin):
    c, _ = api
    e04 = enterprise_credit(c, admin, "91431023MA4M3B8D8X")
    [flag] = of_record(e04, B0003)
    assert (flag["rule"]["id"], flag["role"]) == ("court_person_serving", "director")
    assert flag["record"]["subject"]["id"] == P11 and f"person:{P11}" in flag["path"]
    assert enterprise_credit(c, admin, "91431023MA4M1U6N80")["liabilities"] == []  # E19: his role ended before


# --- as_of and records -------------------------------------------------------------------------

def test_as_of_before_inside_and_after_a_record_window(api, admin):
    c, _ = api
    assert enterprise_credit(c, admin, E15, "2022-02-28")["liabilities"] == []  # before the decision
    inside = enterprise_credit(c, admin, E15, "2024-01-01")
    assert [lb["rule"]["id"] for lb in inside["liabilities"]] == ["black_enterprise_self"]
    assert inside["records"][0]["in_force"] is True
    after = enterprise_credit(c, admin, E15)
    assert after["liabilities"] == [] and after["records"][0]["in_force"] is False
    assert after["records"][0]["record_id"] == B0009  # still shown, no longer in force

    assert [lb["role"] for lb in person_credit(c, admin, P24, "2024-01-01")["liabilities"]] == ["legal_representative"]
    assert person_credit(c, admin, P24)["liabilities"] == []

    rec = get(c, f"/v1/records/{B0009}", admin)
    assert rec["record"]["in_force"] is False
    assert {r["subject"]["id"] for r in rec["reaches"]} == {E15, P24}
    assert not any(r["in_force"] for r in rec["reaches"])
    old = get(c, f"/v1/records/{B0009}", admin, as_of="2024-01-01")
    assert old["record"]["in_force"] is True and all(r["in_force"] for r in old["reaches"])


def test_a_former_legal_representative_stays_bound_until_released(api, admin):
    # Issue 20.1: P09 was E03's legal representative on the listing's date (2026-03-10); his
    # leaving on 2026-06-01 does not lift the court's restriction. P08, his successor, is bound
    # from his first day in office.
    c, _ = api
    def holders(answer):
        return [lb for lb in of_record(answer, B0002) if lb["rule"]["id"] == "court_enterprise_current_holders"]

    [today] = holders(person_credit(c, admin, P09))
    assert (today["role"], today["valid_from"], today["valid_to"]) == ("legal_representative", "2026-03-10", "2028-03-10")
    assert today["anchor_on"] == "2026-03-10"
    [lb] = holders(person_credit(c, admin, P09, "2026-04-01"))
    assert lb["valid_to"] == "2028-03-10"
    assert holders(person_credit(c, admin, P08, "2026-04-01")) == []
    [p08] = holders(person_credit(c, admin, P08))
    assert (p08["valid_from"], p08["valid_to"]) == ("2026-06-01", "2028-03-10")
    # also liable for the record as the legal representative on its misconduct date
    still = of_record(person_credit(c, admin, P09), B0002)
    assert sorted(lb["rule"]["id"] for lb in still) == ["black_enterprise_lr_principal",
                                                          "court_enterprise_current_holders"]


def test_record_reach_names_everyone_and_the_regions_notified(api, admin):
    c, _ = api
    a = get(c, f"/v1/records/{B0001}", admin)
    assert a["record"]["subject"] == {"kind": "enterprise", "id": E01, "name": "郴州市恒基建材有限公司",
                                      "masked": False}
    assert [(p["person_id"], p["name"]) for p in a["record"]["responsible"]] == [(P03, "黄卫东"), (P07, "曾志刚")]
    assert a["record"]["authority"]["region_code"] == "431000" and a["record"]["in_force"] is True
    reached = {r["subject"]["id"]: r for r in a["reaches"]}
    assert set(reached) == {E01, P01, P03, P05, P07}
    assert not {P02, P04, P06, P33} & set(reached)
    assert reached[P05]["subject"]["name"] == "谭文斌"
    for r in a["reaches"]:
        assert r["in_force"]
        for lb in r["liabilities"]:
            assert lb["in_force"] is True
            assert_explained(lb)
    regions = {g["code"]: g for g in a["regions"]}
    assert set(regions) == {"431002", "431022", "430104", "431000", "430100", "430000"}
    assert regions["431002"]["reason"] == "subject" and regions["430104"]["reason"] == "liable_person_role"
    assert "subsidiary" in regions["431022"]["reasons"] and regions["430000"]["reasons"] == ["rollup"]
    notes = {n["region_code"]: n for n in a["notifications"]}
    assert set(notes) == set(regions)
    assert all(n["measures"] and n["in_reach"] for n in notes.values())
    assert a["associated_risk"]["measure"] is False
    assert {x["enterprise"]["uscc"] for x in a["associated_risk"]["person_links"]} >= {E06, "51431000MJ0D4K7A47"}

    shenzhen = get(c, f"/v1/records/{B0007}", admin)
    assert {"431081", "430102", "431000", "430000", "440305"} <= {g["code"] for g in shenzhen["regions"]}

    penalty = get(c, "/v1/records/HN431002-2026-P0006", admin)
    assert penalty["reaches"] == [] and penalty["regions"] == [] and penalty["notifications"] == []
    assert penalty["record"]["kind"] == "penalty"


# --- the catalogue ----------------------------------------------------------------------------

def test_rules_measures_and_actions_are_listed_for_every_role(api):
    c, graph = api
    public = make_key(graph, "public")
    rules = {r["id"]: r for r in get(c, "/v1/rules", public)["rules"]}
    assert {"black_enterprise_lr_principal", "court_enterprise_current_holders", "court_person_serving",
            "red_enterprise_incentives"} <= set(rules)
    assert rules["black_enterprise_lr_principal"]["anchor"] == "misconduct_date"
    assert rules["court_enterprise_current_holders"]["releasable"] is True
    assert rules["red_enterprise_incentives"]["lost_when"]["liable_roles"] == ["legal_representative"]
    measures = get(c, "/v1/measures", public)["measures"]
    classes = [m["class"] for m in measures]
    assert classes == sorted(classes, key=lambda k: k != "mandatory") and "recommended" in classes
    flight = [m["code"] for m in measures if "flight" in m["actions"]]
    assert flight == ["mkt_consumption_restriction"]
    actions = {a["code"] for a in get(c, "/v1/actions", public)["actions"]}
    assert {"public_procurement_bid", "flight", "green_channel", "deferred_documents", "credit_loan",
            "serve_as_director_supervisor_executive", "private_school_fees"} <= actions
    assert_error(c.get("/v1/rules"), 401, "unauthorized", "X-API-Key")


# --- access, masking, audit --------------------------------------------------------------------

def audit_entries(graph, key_headers, subject_id) -> list[dict]:
    key_id, _ = keys.parse(key_headers["X-API-Key"])
    rows = graph.execute_query(query("testing/audit_list"), subject_id=subject_id, limit=1000).records
    return [r["entry"] for r in rows if r["entry"]["key_id"] == key_id]


def test_public_sees_enterprise_credit_and_records_masked_but_no_person_credit(api):
    c, graph = api
    public = make_key(graph, "public")
    assert_error(c.get(f"/v1/persons/{P01}/credit", headers=public), 403, "forbidden")
    for url in (f"/v1/enterprises/{E06}/credit?as_of={TODAY}", f"/v1/records/{B0001}?as_of={TODAY}",
                f"/v1/records/{B0003}?as_of={TODAY}", f"/v1/enterprises/91431023MA4M3B8D8X/credit?as_of={TODAY}"):
        r = c.get(url, headers=public)
        assert r.status_code == 200, r.text
        text = r.text
        for pid, name in ((P01, "刘建国"), (P03, "黄卫东"), (P07, "曾志刚"), (P05, "谭文斌"), (P11, "赵德明")):
            assert pid not in text and name not in text, (url, pid)
    e06 = enterprise_credit(c, public, E06)
    assert "person:4328**********1350" in e06["lost_incentives"][0]["lost_path"]
    assert e06["lost_incentives"][0]["lost_record_id"] == B0001
    rec = get(c, f"/v1/records/{B0001}", public)
    p01 = next(r for r in rec["reaches"] if r["subject"]["kind"] == "person" and r["subject"]["id"].endswith("1350"))
    assert p01["subject"] == {"kind": "person", "id": "4328**********1350", "name": "刘*国", "masked": True}
    assert rec["record"]["responsible"][0]["masked"] is True
    assert audit_entries(graph, public, None) == []


def test_department_is_held_to_its_region(api):
    c, graph = api
    chenzhou, shenzhen = make_key(graph, "department", "431000"), make_key(graph, "department", "440300")
    assert c.get(f"/v1/enterprises/{E01}/credit", headers=chenzhou).status_code == 200
    assert c.get(f"/v1/persons/{P01}/credit", headers=chenzhou).status_code == 200
    # outside the key's region: the answer of an unknown id (issue 15 item 5)
    assert_error(c.get(f"/v1/enterprises/{E01}/credit", headers=shenzhen), 404, "not_found", "uscc")
    assert_error(c.get(f"/v1/persons/{P01}/credit", headers=shenzhen), 404, "not_found", "person_id")
    # B0007 is a Shenzhen decision that reaches Chenzhou: both see it; B0002 only Chenzhou.
    assert c.get(f"/v1/records/{B0007}", headers=chenzhou).status_code == 200
    assert c.get(f"/v1/records/{B0007}", headers=shenzhen).status_code == 200
    assert_error(c.get(f"/v1/records/{B0002}", headers=shenzhen), 404, "not_found", "record_id")


def test_person_level_reads_are_audited_and_investigators_state_their_purpose(api):
    c, graph = api
    inv = make_key(graph, "investigator")
    assert_error(c.get(f"/v1/persons/{P01}/credit", headers=inv), 422, "purpose_required", "X-Purpose")
    assert audit_entries(graph, inv, P01) == []
    assert c.get(f"/v1/persons/{P01}/credit", headers={**inv, **PURPOSE}, params={"as_of": TODAY}).status_code == 200
    [entry] = audit_entries(graph, inv, P01)
    assert (entry["purpose"], entry["endpoint"], entry["subject_kind"]) == (
        "case 2026-17", "GET /v1/persons/{person_id}/credit", "person")
    # A record naming persons is a person-level read too.
    assert_error(c.get(f"/v1/records/{B0001}", headers=inv), 422, "purpose_required", "X-Purpose")
    assert c.get(f"/v1/records/{B0001}", headers={**inv, **PURPOSE}).status_code == 200
    assert [e["endpoint"] for e in audit_entries(graph, inv, B0001)] == ["GET /v1/records/{record_id}"]
    # An enterprise answer without persons is not.
    assert c.get(f"/v1/enterprises/{E15}/credit", headers=inv).status_code == 200


def test_errors_name_the_field_and_why(api, admin):
    c, _ = api
    err = assert_error(c.get(f"/v1/enterprises/{E01[:-1]}A/credit", headers=admin), 422, "invalid_uscc", "uscc")
    assert "'R'" in err["message"]
    assert_error(c.get(f"/v1/enterprises/{UNKNOWN_USCC}/credit", headers=admin), 404, "not_found", "uscc")
    err = assert_error(c.get(f"/v1/persons/{P01[:-1]}9/credit", headers=admin), 422, "invalid_person_id", "person_id")
    assert "check" in err["message"]
    assert_error(c.get(f"/v1/persons/{UNKNOWN_PERSON}/credit", headers=admin), 404, "not_found", "person_id")
    assert_error(c.get("/v1/records/HN431000-2026-B9999", headers=admin), 404, "not_found", "record_id")
    assert_error(c.get(f"/v1/enterprises/{E01}/credit", headers=admin, params={"as_of": "2026-13-01"}),
                 422, "invalid_request", "as_of")
    # identifiers are normalised before the lookup
    assert get(c, f"/v1/records/{B0001.lower()}", admin)["record"]["record_id"] == B0001


# --- releases ----------------------------------------------------------------------------------

def release(c, h, person_id, on="2026-06-01", reason="法定代表人因正常经营原因变更，经法院审查解除限制消费措施",
            record_id=B0002):
    return c.post(f"/v1/records/{record_id}/releases", headers=h,
                  json={"person_id": person_id, "on": on, "reason": reason})


def test_release_refusals_and_roles(api, admin):
    c, graph = api
    err = assert_error(release(c, admin, P10), 409, "release_refused", "person_id")
    assert "actual controller" in err["message"]
    err = assert_error(release(c, admin, P03), 409, "release_refused", "person_id")
    assert "not bound" in err["message"]
    assert_error(release(c, admin, P09, reason="   "), 422, "invalid_request", "reason")
    assert_error(release(c, admin, P09[:-1] + "0"), 422, "invalid_person_id", "person_id")
    assert_error(release(c, admin, UNKNOWN_PERSON), 404, "not_found", "person_id")
    assert_error(release(c, admin, P09, record_id="HN431003-2026-B9999"), 404, "not_found", "record_id")
    assert_error(release(c, make_key(graph, "investigator"), P09), 403, "forbidden")
    # A key that may not read the record hears what an unknown record gets, whoever the person is
    # (issue 15 item 5: no existence oracle).
    shenzhen = make_key(graph, "department", "440300")
    known = assert_error(release(c, shenzhen, P09), 404, "not_found", "record_id")
    unknown = assert_error(release(c, shenzhen, P09, record_id="HN431003-2026-B9999"), 404, "not_found", "record_id")
    assert known["message"].replace(B0002, "X") == unknown["message"].replace("HN431003-2026-B9999", "X")
    assert_error(release(c, shenzhen, UNKNOWN_PERSON), 404, "not_found", "record_id")
    # Issue 15.1: a backdated release, or one before his role ended, is refused with the date as field.
    for on in ("1999-01-01", "1970-01-01", "2026-03-09", "2028-03-10", "2026-04-15", "2026-05-31"):
        err = assert_error(release(c, admin, P09, on=on), 409, "release_refused", "on")
    assert "may start on 2026-06-01 at the earliest" in err["message"]
    # The current legal representative cannot be released at all, nor the actual controller backdated.
    err = assert_error(release(c, admin, P08), 409, "release_refused", "person_id")
    assert "current holder cannot be released" in err["message"]
    assert_error(release(c, admin, P10, on="1999-01-01"), 409, "release_refused", "on")
    # nothing was released, and the record's history says nothing of the refusals
    for day in ("2026-04-20", TODAY, "2026-03-10"):
        assert check(c, admin, P09, "flight", day)["decision"] == "restricted"
        assert check(c, admin, P10, "flight", day)["decision"] == "restricted"
    assert not released_events(c, admin)


def released_events(c, h):
    return [e for e in get(c, f"/v1/records/{B0002}/history", h)["events"] if e["kind"] == "person_released"]


def test_release_then_check(api, admin):
    c, graph = api
    suxian = make_key(graph, "department", "431003")
    r = release(c, suxian, P09)
    assert r.status_code == 201, r.text
    body = r.json()
    key_id, _ = keys.parse(suxian["X-API-Key"])
    assert body["release"]["person"]["person_id"] == P09 and body["release"]["by"] == key_id
    assert body["release"]["reason"].startswith("法定代表人") and body["release"]["on"] == "2026-06-01"
    [lb] = [lb for lb in body["liabilities"] if lb["rule"]["id"] == "court_enterprise_current_holders"]
    assert (lb["valid_to"], lb["released_on"]) == ("2026-06-01", "2026-06-01")
    assert "released individually from 2026-06-01" in lb["explanation"]

    assert check(c, admin, P09, "flight", "2026-05-31")["decision"] == "restricted"
    assert check(c, admin, P09, "flight", "2026-06-01")["decision"] == "clear"
    assert check(c, admin, P09, "flight")["decision"] == "clear"
    assert check(c, admin, P08, "flight")["decision"] == "restricted"  # the others stay bound
    rec = get(c, f"/v1/records/{B0002}", admin)
    [rel] = rec["releases"]
    assert (rel["person"]["person_id"], rel["on"], rel["by"]) == (P09, "2026-06-01", key_id)
    # The record's history holds the release: who, whom, from when, why.
    [event] = released_events(c, admin)
    assert (event["actor"], event["data"], event["reason"]) == (
        key_id, {"person_id": P09, "on": "2026-06-01"}, body["release"]["reason"])


# --- OpenAPI and start-up ---------------------------------------------------------------------

OPERATIONS = [("get", "/v1/enterprises/{uscc}/credit", Credit, ex.ENTERPRISE_CREDIT, "200"),
              ("get", "/v1/persons/{person_id}/credit", Credit, ex.PERSON_CREDIT, "200"),
              ("get", "/v1/records/{record_id}", RecordReach, ex.RECORD_REACH, "200"),
              ("post", "/v1/records/{record_id}/releases", ReleaseResult, ex.RELEASE, "201"),
              ("get", "/v1/rules", Rules, ex.RULES, "200"),
              ("get", "/v1/measures", Measures, ex.MEASURES, "200"),
              ("get", "/v1/actions", Actions, ex.ACTIONS, "200")]


def test_every_operation_is_described_with_a_demo_example():
    spec = create_app().openapi()
    demo = "\n".join(p.read_text(encoding="utf-8") for p in (DOMAIN_DIR.parents[1] / "loaders" / "demo").glob("*.csv"))
    for method, path, model, example, status in OPERATIONS:
        op = spec["paths"][path][method]
        assert op["summary"] and op["description"], path
        assert op["responses"][status]["content"]["application/json"]["example"] == example, path
        model.model_validate(example)
        for param in op.get("parameters", []):
            if param["in"] == "path":
                for e in param["examples"].values():
                    assert e["value"] in demo, (path, e)
    assert ex.ENTERPRISE_CREDIT["subject"]["id"] in demo and ex.PERSON_CREDIT["subject"]["id"] in demo
    assert ex.RECORD_REACH["record"]["record_id"] in demo


def test_examples_are_what_the_api_answers_on_the_demo(api, admin):
    c, _ = api

    def same(answer, example, where="answer"):
        """The example is the answer with lists cut short."""
        if isinstance(example, dict):
            for k, v in example.items():
                same(answer[k], v, f"{where}.{k}")
        elif isinstance(example, list):
            assert len(answer) >= len(example), where
            for i, v in enumerate(example):
                same(answer[i], v, f"{where}[{i}]")
        else:
            assert answer == example, where
    same(enterprise_credit(c, admin, ex.ENTERPRISE_CREDIT["subject"]["id"]), ex.ENTERPRISE_CREDIT)
    same(person_credit(c, admin, ex.PERSON_CREDIT["subject"]["id"]), ex.PERSON_CREDIT)
    same(get(c, f"/v1/records/{ex.RECORD_REACH['record']['record_id']}", admin, as_of=TODAY), ex.RECORD_REACH)
    same(get(c, "/v1/rules", admin), ex.RULES)
    same(get(c, "/v1/measures", admin), ex.MEASURES)
    same(get(c, "/v1/actions", admin), ex.ACTIONS)


def test_a_bad_catalogue_stops_the_start(tmp_path, monkeypatch):
    for name in ("actions.yaml", "measures.yaml", "rules.yaml"):
        (tmp_path / name).write_text((DOMAIN_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("adm_market_ban_person, adm_honour_revocation]",
                                                               "adm_market_ban_person, no_such_measure]", 1),
                     encoding="utf-8")
    monkeypatch.setattr("graph_service.app.catalogue", lambda: load_catalogue(tmp_path))
    with pytest.raises(CatalogueError, match="rules.yaml, rule 'black_enterprise_lr_principal'.*no_such_measure"):
        create_app()


def test_record_reach_masks_subjects_outside_the_key_region(api):
    # Issue 15 item 7: B0001, about 北湖区's E01, binds persons and enterprises of other regions
    # too (a subsidiary in 431022, a liable person in 长沙): a Beihu key sees those of its own
    # region, the others masked, their ids and names nowhere in the answer.
    c, graph = api
    full = get(c, f"/v1/records/{B0001}", make_key(graph, "admin"))
    beihu = get(c, f"/v1/records/{B0001}", make_key(graph, "department", "431002"))
    assert beihu["record"] == full["record"]  # the record itself is what the key reads
    own = {full["record"]["subject"]["id"], *(p["person_id"] for p in full["record"]["responsible"])}

    def inside(s) -> bool:
        regions = graph.execute_query(query("subjects/lookup"), id=s["id"], kind=s["kind"]).records[0]["regions"]
        return s["id"] in own or "431002" in regions

    outside = [r["subject"] for r in full["reaches"] if not inside(r["subject"])]
    assert outside
    text = json.dumps(beihu, ensure_ascii=False)
    for s in outside:
        assert s["id"] not in text and s["name"] not in text, s
    assert [r["subject"]["masked"] for r in beihu["reaches"]] == [not inside(r["subject"]) for r in full["reaches"]]
    assert [r["subject"] for r in beihu["reaches"] if not r["subject"]["masked"]] == \
        [r["subject"] for r in full["reaches"] if inside(r["subject"])]
