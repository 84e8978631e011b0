"""Issue 3 "Done when", on the demo bundle (loaders/demo, stories in loaders/demo/README.md):
who a record reaches, with its explanation, through the read functions the API serves."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from graph_service import credit
from graph_service.cypher import query
from graph_service.db import async_driver
from loaders import load_bundle

DEMO = Path(__file__).resolve().parents[1] / "loaders" / "demo"
TODAY = date(2026, 11, 26)  # the reference day of the demo stories

B0001, B0002, B0003 = "HN431000-2026-B0001", "HN431003-2026-B0002", "HN431023-2026-B0003"
R0004, R0005, B0007, B0009 = "HN431026-2026-R0004", "HN430000-2025-R0005", "HN440300-2026-B0007", "HN431025-2022-B0009"
E01, E02, E03, E04 = "91431002MA4L2HJ36R", "91431022MA4PK7R15E", "91431003MA4L0W6N7T", "91431023MA4M3B8D8X"
E05, E06, E07, E11 = "91431026MA4N1T2G3A", "91430104MA4R5C0F16", "92431002MA4L9K5Q1P", "51431000MJ0D4K7A47"
E15, E19, H1, H2, H3 = "91431025MA4LD5G934", "91431023MA4M1U6N80", "91430104MA4R8D1B4F", "91431002MA4L3F7C3L", "91431081MA4P6G2E0L"
P01, P02, P03, P04, P05 = ("432801196804121350", "432822197909232117", "432821198311053171", "432801197502144260",
                           "432825198007301535")
P06, P07, P08, P09, P10 = ("430121197212012484", "432801197703093711", "432821198606181955", "432821196510021173",
                           "432801196201202397")
P11, P16, P17, P24, P33 = ("432823197408083519", "440305199111111370", "H60218735", "43282719860130159X",
                           "432801199109193954")


@pytest.fixture(scope="module")
def demo(neo4j_driver, neo4j_conn):
    neo4j_driver.execute_query(query("testing/clear_graph"), database_=neo4j_conn.database)
    result = load_bundle(neo4j_driver, DEMO, database=neo4j_conn.database)
    assert not result.rejected
    return neo4j_conn


def read(conn, fn, *args):
    async def go():
        drv = async_driver(conn)
        try:
            async with drv.session(database=conn.database) as s:
                return await s.execute_read(fn, *args)
        finally:
            await drv.close()
    return asyncio.run(go())


def liabilities_of(conn, kind, subject_id, as_of=TODAY, record_id=None):
    c = read(conn, credit.credit_of, kind, subject_id, as_of)
    return [lb for lb in c["liabilities"] if record_id is None or lb["record_id"] == record_id]


def measures(lbs):
    return {m for lb in lbs for m in lb["measures"]}


def test_legal_representative_on_the_misconduct_date_is_liable_and_the_later_one_is_not(demo):
    (p01,) = liabilities_of(demo, "person", P01, record_id=B0001)
    assert p01["rule_id"] == "black_enterprise_lr_principal"
    assert p01["role"] == "legal_representative"
    assert (p01["role_start"], p01["role_end"]) == (date(2012, 3, 1), date(2025, 9, 15))
    assert (p01["anchor"], p01["anchor_on"]) == ("misconduct_date", date(2025, 6, 18))
    assert p01["path"] == [f"record:{B0001}", f"enterprise:{E01}", "legal_representative 2012-03-01..2025-09-15",
                           f"person:{P01}"]
    assert (p01["valid_from"], p01["valid_to"]) == (date(2026, 1, 20), date(2029, 1, 20))
    assert p01["record"]["document_no"] == "郴建罚〔2026〕3号"
    assert "郴政发〔2017〕11号" in p01["legal_basis"]
    assert {"adm_personal_record", "adm_market_ban_person", "adm_honour_revocation"} <= set(p01["measures"])
    ban = read(demo, credit.check, P01, "serve_as_legal_representative", TODAY)
    assert ban["decision"] == "restricted"
    assert [b["record_id"] for b in ban["basis"]] == [B0001]
    # Appointed 2025-09-15, after the misconduct: LR on the decision date and today, yet not liable.
    assert liabilities_of(demo, "person", P02, record_id=B0001) == []
    assert read(demo, credit.check, P02, "serve_as_legal_representative", TODAY)["decision"] == "clear"


def test_named_responsible_persons_are_liable(demo):
    p03 = liabilities_of(demo, "person", P03, record_id=B0001)
    assert {lb["rule_id"] for lb in p03} == {"black_enterprise_named_responsible", "black_enterprise_named_practitioner"}
    named = next(lb for lb in p03 if lb["rule_id"] == "black_enterprise_named_responsible")
    assert named["path"] == [f"record:{B0001}", f"enterprise:{E01}", "named_responsible", f"person:{P03}"]
    assert "adm_personal_record" in named["measures"]
    assert "adm_market_ban_person" in measures(p03)  # a registered practitioner directly responsible
    p07 = liabilities_of(demo, "person", P07, record_id=B0001)
    assert {lb["rule_id"] for lb in p07} == {"black_enterprise_named_responsible", "black_enterprise_honours_named_board"}
    board = next(lb for lb in p07 if lb["rule_id"] == "black_enterprise_honours_named_board")
    assert board["role"] == "director"
    assert read(demo, credit.check, P07, "honour_award", TODAY)["decision"] == "restricted"


def test_director_shareholder_and_supervisor_not_named_are_not_reached(demo):
    for person in (P04, P06, P33):
        assert liabilities_of(demo, "person", person) == []
        assert read(demo, credit.check, person, "honour_award", TODAY)["decision"] == "clear"
    reached = {r["subject_id"] for r in read(demo, credit.record_reach, B0001, TODAY)["reaches"]}
    assert reached == {E01, P01, P03, P05, P07}


def test_senior_executive_loses_honours_but_gets_no_personal_record(demo):
    (p05,) = liabilities_of(demo, "person", P05)
    assert p05["rule_id"] == "black_enterprise_honours_executives"
    assert p05["measures"] == ["adm_honour_revocation"]
    assert p05["path"][-2] == "senior_executive 2019-04-01.."
    honour = read(demo, credit.check, P05, "honour_award", TODAY)
    assert honour["decision"] == "restricted"
    assert honour["basis"][0]["rule_id"] == "black_enterprise_honours_executives"
    assert read(demo, credit.check, P05, "serve_as_legal_representative", TODAY)["decision"] == "clear"


def test_court_debtors_current_legal_representative_and_actual_controller_cannot_fly(demo):
    for person, role in ((P08, "legal_representative"), (P10, "actual_controller")):
        answer = read(demo, credit.check, person, "flight", TODAY)
        assert answer["decision"] == "restricted"
        (basis,) = [b for b in answer["basis"] if b["rule_id"] == "court_enterprise_current_holders"]
        assert basis["record_id"] == B0002
        assert basis["role"] == role
        assert basis["anchor"] == "as_of"
        assert basis["path"][:2] == [f"record:{B0002}", f"enterprise:{E03}"]
        assert "法释〔2015〕17号" in basis["legal_basis"]
        assert "mkt_consumption_restriction" in basis["measures"]
        assert [m["code"] for m in answer["measures"]] == ["mkt_consumption_restriction"]
    # P08 became LR on 2026-06-01: his restriction starts then. The former LR, in office on the
    # listing's date, stays restricted after leaving until a court releases him (issue 20.1).
    assert read(demo, credit.check, P08, "flight", date(2026, 4, 1))["decision"] == "clear"
    former = read(demo, credit.check, P09, "flight", date(2026, 4, 1))
    assert former["decision"] == "restricted" and former["basis"][0]["role_end"] == date(2026, 6, 1)
    today = read(demo, credit.check, P09, "flight", TODAY)
    assert today["decision"] == "restricted"
    assert today["basis"][0]["anchor_on"] == date(2026, 3, 10)
    assert read(demo, credit.check, E03, "public_procurement_bid", TODAY)["decision"] == "restricted"


def test_red_listed_company_whose_legal_representative_is_liable_elsewhere_lost_its_incentives(demo):
    # credit_loan: an incentive only the red list gives (the green channel also opens through three
    # clean years, policy item 6: tests/test_api_checks.py).
    before = read(demo, credit.check, E06, "credit_loan", date(2025, 12, 1))
    assert before["decision"] == "favoured"
    assert before["basis"][0]["record_id"] == R0005
    now = read(demo, credit.check, E06, "credit_loan", TODAY)
    assert now["decision"] == "clear"
    (lost,) = now["basis"]
    assert lost["effect"] == "lost" and lost["record_id"] == R0005
    assert lost["lost_on"] == date(2026, 1, 20)
    assert lost["lost_record_id"] == B0001
    assert lost["lost_path"] == [f"record:{B0001}", f"enterprise:{E01}", "legal_representative 2012-03-01..2025-09-15",
                                 f"person:{P01}", "legal_representative 2018-10-22..", f"enterprise:{E06}"]
    assert B0001 in now["note"]
    # E06 has no bad record of its own: the green channel stays open through three clean years.
    assert read(demo, credit.check, E06, "green_channel", TODAY)["eligibility"]["basis"] == ["three_years_clean"]
    kept = read(demo, credit.check, E05, "credit_loan", TODAY)
    assert kept["decision"] == "favoured" and kept["basis"][0]["record_id"] == R0004


def test_listed_person_may_not_serve_and_the_enterprise_where_he_serves_is_flagged(demo):
    assert read(demo, credit.check, P11, "flight", TODAY)["decision"] == "restricted"
    assert read(demo, credit.check, P11, "serve_as_director_supervisor_executive", TODAY)["decision"] == "restricted"
    (flag,) = liabilities_of(demo, "enterprise", E04, record_id=B0003)
    assert flag["rule_id"] == "court_person_serving" and flag["role"] == "director"
    assert flag["measures"] == ["adm_office_bar_flag"]
    assert liabilities_of(demo, "enterprise", E19) == []  # his supervisor role ended before the listing
    regions = {g["code"] for g in read(demo, credit.record_reach, B0003, TODAY)["regions"]}
    assert "431023" in regions  # E04's registering authority


def test_penalties_reach_no_one(demo):
    assert read(demo, credit.check, E07, "public_procurement_bid", TODAY)["decision"] == "clear"
    reach = read(demo, credit.record_reach, "HN431002-2026-P0006", TODAY)
    assert reach["reaches"] == [] and reach["regions"] == [] and reach["notifications"] == []


def test_cross_region_reach_and_notifications(demo):
    b1 = read(demo, credit.record_reach, B0001, TODAY)
    regions = {g["code"]: g for g in b1["regions"]}
    assert set(regions) == {"431002", "431022", "430104", "431000", "430100", "430000"}
    assert regions["431002"]["reason"] == "subject"
    assert "subsidiary" in regions["431022"]["reasons"]
    assert regions["430104"]["reason"] == "liable_person_role"  # P01 is LR of E06
    assert "liable_person_role" in regions["431000"]["reasons"]  # P01 is LR of E11
    assert regions["430000"]["reasons"] == ["rollup"]
    notes = {n["region_code"]: n for n in b1["notifications"]}
    assert set(notes) == set(regions)
    assert all(n["status"] == "pending" and n["in_reach"] for n in notes.values())
    listed = notes["431002"]["measures"]
    classes = [{m["code"]: m["class"] for m in credit.measures()}[code] for code in listed]
    assert "adm_personal_record" in listed and "mkt_financing_restriction" in listed
    assert classes == sorted(classes, key=lambda c: c != "mandatory")  # mandatory first
    b7 = {g["code"]: g for g in read(demo, credit.record_reach, B0007, TODAY)["regions"]}
    assert set(b7) == {"440305", "440300", "440000", "431081", "431000", "430102", "430100", "430000"}
    assert b7["430102"]["reason"] == "subsidiary"
    assert {"subsidiary", "liable_person_role"} <= set(b7["431081"]["reasons"])  # E09, where P16 is director


def test_shenzhen_parent_reaches_its_named_legal_representative_only(demo):
    assert {lb["rule_id"] for lb in liabilities_of(demo, "person", P16, record_id=B0007)} == {
        "black_enterprise_lr_principal", "black_enterprise_named_responsible", "black_enterprise_honours_named_board"}
    assert liabilities_of(demo, "person", P17) == []


def test_expired_record_reaches_no_one_today_but_did_before(demo):
    today = read(demo, credit.record_reach, B0009, TODAY)
    assert today["reaches"] and not any(r["in_force"] for r in today["reaches"])
    assert liabilities_of(demo, "person", P24) == []
    then = liabilities_of(demo, "person", P24, as_of=date(2024, 1, 1))
    assert [lb["rule_id"] for lb in then] == ["black_enterprise_lr_principal"]
    assert read(demo, credit.check, E15, "public_procurement_bid", date(2024, 1, 1))["decision"] == "restricted"
    assert read(demo, credit.check, E15, "public_procurement_bid", TODAY)["decision"] == "clear"


def test_associated_risk_is_information_not_a_measure(demo):
    reach = read(demo, credit.record_reach, B0001, TODAY)
    risk = reach["associated_risk"]
    assert risk["measure"] is False
    assert {(x["uscc"], x["person_id"]) for x in risk["person_links"]} >= {(E06, P01), (E11, P01)}
    assert {x["uscc"] for x in risk["shareholding_links"]} == {E02}
    h2 = read(demo, credit.credit_of, "enterprise", H2, TODAY)
    assert h2["liabilities"] == [] and h2["measures"] == []
    linked = {x["uscc"]: x for x in h2["associated_risk"]["shareholding_links"]}
    assert linked[E03]["path"] == [H2, E03]
    assert {x["uscc"] for x in read(demo, credit.credit_of, "enterprise", H1, TODAY)["associated_risk"]["shareholding_links"]} == {E03}
    assert {x["uscc"] for x in read(demo, credit.credit_of, "enterprise", H3, TODAY)["associated_risk"]["shareholding_links"]} == {E03}
