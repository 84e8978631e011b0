"""`known_at` (issue 18 point 5; docs/changes.md, "known_at"), on the real Neo4j: answers as the
service gave them at an earlier moment, including values a later load corrected; a stored check's
replay at the sequence number it was answered at is identical to what it answered."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time

import pytest
from api_helpers import assert_error, client, make_key
from workflow_fixtures import PROV, record_row, regions, resident_id, seed, uscc

from graph_service import credit
from graph_service.api.models.checks import CheckResult
from graph_service.changes import known_at
from graph_service.cypher import query
from graph_service.db import async_driver, connection
from graph_service.facts.models import EnterpriseRow, RoleRow
from graph_service.propagation.writes import write_enterprises, write_records, write_roles

E = uscc(51)                 # 北湖区 431002
E2 = uscc(52)
P = resident_id(51)          # legal representative of E, named responsible for its records
DAY = dt.date(2026, 12, 1)
ACTIONS = ("public_procurement_bid", "serve_as_legal_representative", "flight", "green_channel")


def last_seq(driver) -> int:
    return driver.execute_query(query("testing/last_change_seq")).records[0]["n"]


def write(driver, writer, rows):
    with driver.session() as s:
        return s.execute_write(lambda tx: writer(tx, rows, PROV))


def read(fn, *args):
    async def go():
        drv = async_driver(connection())
        try:
            async with drv.session() as s:
                return await s.execute_read(fn, *args)
        finally:
            await drv.close()
    return asyncio.run(go())


def now_answers(subjects=(E, P)) -> dict:
    async def work(tx):
        out = {}
        for sid in subjects:
            for action in ACTIONS:
                try:
                    out[(sid, action)] = await credit.check(tx, sid, action, DAY)
                except credit.UnknownSubject:
                    out[(sid, action)] = "unknown"
        return out
    return read(work)


def answers_at(n: int, subjects=(E, P)) -> dict:
    async def work(tx):
        out = {}
        for sid in subjects:
            for action in ACTIONS:
                try:
                    out[(sid, action)] = await known_at.check(tx, sid, action, DAY, n)
                except credit.UnknownSubject:
                    out[(sid, action)] = "unknown"
        return out
    return read(work)


def role(end_on=None) -> dict:
    row = {"person_id": P, "uscc": E, "role": "legal_representative", "start_on": "2019-01-01"}
    if end_on:
        row["end_on"] = end_on
    return RoleRow.model_validate(row).model_dump()


@pytest.fixture
def world(graph):
    regions(graph)
    seed(graph, enterprises=[{"uscc": E, "name": "郴州知悉测试建材有限公司", "region_code": "431002"},
                             {"uscc": E2, "name": "郴州知悉测试二号建材有限公司", "region_code": "431002"}],
         persons=[{"person_id": P, "name": "王知悉"}], roles=[role()])
    return graph


def test_known_at_rebuilds_every_earlier_answer_after_corrections(world):
    """At each step the answers now are remembered with the sequence number; after every later
    change (a record, its correction, a role's end day corrected, a renamed company) the answers
    at each remembered number are the remembered ones."""
    seen = [(last_seq(world), now_answers())]
    write(world, write_records, [record_row("KA-1", E, decided_on="2026-11-01", responsible_person_ids=[P])])
    seen.append((last_seq(world), now_answers()))
    assert seen[-1][1][(E, "public_procurement_bid")]["decision"] == "restricted"
    assert seen[-1][1][(P, "serve_as_legal_representative")]["decision"] == "restricted"
    # A later load corrects the record: decided a year later, valid until a day before DAY.
    write(world, write_records, [record_row("KA-1", E, decided_on="2025-11-01", valid_until="2026-11-30",
                                            responsible_person_ids=[P])])
    seen.append((last_seq(world), now_answers()))
    # A later load corrects the role: P left E before the misconduct.
    write(world, write_roles, [role(end_on="2020-06-30")])
    seen.append((last_seq(world), now_answers()))
    write(world, write_records, [record_row("KA-2", E, decided_on="2026-10-01", kind="black",
                                            responsible_person_ids=[P])])
    seen.append((last_seq(world), now_answers()))
    write(world, write_enterprises, [EnterpriseRow.model_validate(
        {"uscc": E, "name": "郴州知悉新名建材有限公司", "region_code": "431002"}).model_dump()])
    seen.append((last_seq(world), now_answers()))
    assert len({n for n, _ in seen}) == len(seen)
    assert seen[1][1] != seen[-1][1]
    for n, answers in seen:
        assert answers_at(n) == answers, n


def test_seq_at_maps_a_time_to_the_last_entry_recorded_by_then(world):
    first = last_seq(world)
    time.sleep(0.05)
    moment = dt.datetime.now(dt.UTC)
    time.sleep(0.05)
    write(world, write_records, [record_row("KA-1", E, decided_on="2026-11-01")])
    assert last_seq(world) > first

    async def work(tx):
        return (await known_at.seq_at(tx, moment), await known_at.seq_at(tx, dt.datetime.now(dt.UTC)),
                await known_at.seq_at(tx, dt.datetime(2000, 1, 1, tzinfo=dt.UTC)), await known_at.seq_at(tx, 10**9))
    assert read(work) == (first, last_seq(world), 0, last_seq(world))


@pytest.mark.parametrize("text", ["yesterday", "seq:", "seq:-1", "seq:x", "2026-13-01", "2026-12-01T25:00"])
def test_parse_refuses_bad_values_naming_the_field(text):
    with pytest.raises(known_at.InvalidKnownAt) as exc:
        known_at.parse(text)
    assert exc.value.field == "known_at" and exc.value.status == 422


def test_parse_reads_china_time_days_and_numbers():
    assert known_at.parse("seq:12") == 12
    assert known_at.parse(None) is None
    cst = dt.timezone(dt.timedelta(hours=8))
    assert known_at.parse("2026-12-01T09:30:00") == dt.datetime(2026, 12, 1, 9, 30, tzinfo=cst)
    assert known_at.parse("2026-12-01T09:30:00Z") == dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    day = known_at.parse("2026-12-01")
    assert isinstance(day, dt.datetime) and day.date() == DAY and day.utcoffset() == dt.timedelta(hours=8)
    assert day.hour == 23


# --- over HTTP: POST /v1/checks with known_at, GET /v1/checks/{id} ------------------------------------

@pytest.fixture
def api(world):
    write(world, write_records, [record_row("KA-1", E, decided_on="2026-11-01", responsible_person_ids=[P])])
    with client(check_log_flush_s=0.01) as c:
        keys = {"admin": make_key(world, "admin"), "city": make_key(world, "department", "431000"),
                "changsha": make_key(world, "department", "430100"), "public": make_key(world, "public"),
                "investigator": make_key(world, "investigator")}
        yield c, keys, world


def ask(c, h, subject_id, action="public_procurement_bid", **extra) -> dict:
    r = c.post("/v1/checks", headers=h, json={"subject_id": subject_id, "action": action,
                                              "as_of": DAY.isoformat(), **extra})
    assert r.status_code == 200, r.text
    return r.json()


def stored(c, h, check_id) -> dict:
    """GET /v1/checks/{id} once the write-behind log has stored the check."""
    for _ in range(200):
        r = c.get(f"/v1/checks/{check_id}", headers=h)
        if r.status_code != 404:
            assert r.status_code == 200, r.text
            return r.json()
        time.sleep(0.02)
    raise AssertionError(f"check {check_id} never stored")


def test_known_at_before_and_after_a_correcting_load_gives_the_two_answers(api):
    c, keys, world = api
    h = keys["city"]
    before = last_seq(world)
    time.sleep(0.05)
    moment = dt.datetime.now(dt.UTC)
    time.sleep(0.05)
    # A later load corrects the record (it lapsed before DAY) and P's role (he left before it).
    write(world, write_records, [record_row("KA-1", E, decided_on="2025-11-01", valid_until="2026-11-30",
                                            responsible_person_ids=[P])])
    write(world, write_roles, [role(end_on="2020-06-30")])
    after = last_seq(world)
    assert ask(c, h, E)["decision"] == "clear"
    assert ask(c, h, P, "serve_as_legal_representative")["decision"] == "clear"
    old = ask(c, h, E, known_at=f"seq:{before}")
    assert (old["decision"], old["known_seq"], old["known_at"]) == ("restricted", before, f"seq:{before}")
    assert [b["record_id"] for b in old["basis"]] == ["KA-1"]
    assert old["basis"][0]["record"]["decided_on"] == "2026-11-01"  # the value the load corrected
    # A time: China time without an offset; the same moment with one.
    china = moment.astimezone(known_at.CHINA).replace(tzinfo=None).isoformat()
    for text in (china, moment.isoformat()):
        got = ask(c, h, P, "serve_as_legal_representative", known_at=text)
        assert (got["decision"], got["known_seq"]) == ("restricted", before), text
    new = ask(c, h, E, known_at=f"seq:{after}")
    assert (new["decision"], new["known_seq"]) == ("clear", after)
    assert ask(c, h, E, known_at=dt.datetime.now(dt.UTC).isoformat())["known_seq"] == after
    # A batch: known_at per query, beside as_of.
    r = c.post("/v1/checks/batch", headers=h, json={"queries": {
        "then": {"subject_id": E, "action": "public_procurement_bid", "as_of": "2026-12-01", "known_at": f"seq:{before}"},
        "now": {"subject_id": E, "action": "public_procurement_bid", "as_of": "2026-12-01"},
        "bad": {"subject_id": E, "action": "public_procurement_bid", "known_at": "last week"}}})
    assert r.status_code == 200, r.text
    out = r.json()["responses"]
    assert out["then"]["result"]["decision"] == "restricted" and out["then"]["result"]["known_seq"] == before
    assert out["now"]["result"]["decision"] == "clear" and "known_seq" not in out["now"]["result"]
    assert out["bad"]["status"] == 422 and out["bad"]["error"]["field"] == "queries.bad.known_at"


@pytest.mark.parametrize("text", ["last week", "seq:x", "2026-02-30", "seq:"])
def test_a_bad_known_at_is_a_422_naming_it(api, text):
    c, keys, _ = api
    r = c.post("/v1/checks", headers=keys["city"], json={"subject_id": E, "action": "flight", "known_at": text})
    assert_error(r, 422, "invalid_request", "known_at")


def test_an_empty_known_at_is_none_asked(api):
    c, keys, _ = api
    got = ask(c, keys["city"], E, known_at="")
    assert got["decision"] == "restricted" and "known_seq" not in got
    r = c.get(f"/v1/enterprises/{E}", headers=keys["admin"], params={"known_at": ""})
    assert r.status_code == 200 and r.json()["known_seq"] is None


def test_a_stored_check_replays_identically_after_later_changes(api):
    c, keys, world = api
    h, admin = keys["city"], keys["admin"]
    asked = [ask(c, h, E), ask(c, h, P, "serve_as_legal_representative"), ask(c, h, P, "flight"),
             ask(c, keys["public"], E), ask(c, h, E2), ask(c, h, E2, "green_channel"), ask(c, h, E, "green_channel")]
    assert asked[0]["decision"] == "restricted"
    # Later: a correcting load, an objection and the record's revocation, a merge of E2 into E.
    write(world, write_records, [record_row("KA-1", E, decided_on="2025-11-01", valid_until="2026-11-30",
                                            responsible_person_ids=[P])])
    asked += [ask(c, h, E), ask(c, h, E, "green_channel")]
    write(world, write_records, [record_row("KA-3", E, decided_on="2026-11-20", responsible_person_ids=[P])])
    asked.append(ask(c, h, E))
    r = c.post("/v1/records/KA-3/objections", headers=h, json={"notice_on": "2026-11-25", "filed_by": "subject"})
    assert r.status_code == 201, r.text
    asked.append(ask(c, h, E))
    r = c.post(f"/v1/objections/{r.json()['objection_id']}/resolution", headers=h,
               json={"outcome": "revoked", "on": "2026-11-28", "reason": "处罚对象有误"})
    assert r.status_code == 200, r.text
    asked.append(ask(c, h, E))
    r = c.post("/v1/resolutions", headers=admin, json={"subject_ids": [E, E2], "judgement": "same", "reason": "核查"})
    assert r.status_code in (200, 201), r.text
    asked += [ask(c, h, E2), ask(c, h, E2, "green_channel"), ask(c, h, E, known_at="seq:1")]
    r = c.post("/v1/checks/batch", headers=h, json={"queries": {
        "now": {"subject_id": E, "action": "public_procurement_bid", "as_of": "2026-12-01"},
        "then": {"subject_id": E, "action": "public_procurement_bid", "as_of": "2026-12-01", "known_at": "seq:1"},
        "merged": {"subject_id": E2, "action": "green_channel", "as_of": "2026-12-01"}}})
    assert r.status_code == 200, r.text
    asked += [item["result"] for item in r.json()["responses"].values()]
    decisions = [a["decision"] for a in asked]
    assert {"restricted", "clear", "favoured"} <= set(decisions), decisions
    assert any("merged_from" in a for a in asked) and any(a.get("suspended") for a in asked), asked
    for a in asked:
        got = stored(c, admin, a["check_id"])
        assert got["identical"] is True, got
        assert got["stored"] == got["replay"]
        assert got["stored"]["decision"] == a["decision"]
        # The stored answer is the service's, of which the body is the presentation (CheckResult).
        shown = CheckResult(**got["stored"], check_id=a["check_id"], known_at=a.get("known_at"),
                            known_seq=a.get("known_seq"))
        assert json.loads(shown.model_dump_json(exclude_none=True, by_alias=True)) == a
    then = [a for a in asked if a.get("known_at")]
    assert len(then) == 2 and all(stored(c, admin, a["check_id"])["known_at"] == "seq:1" for a in then)
    # Masked for the public key that asked, and replayed masked alike.
    assert stored(c, keys["public"], asked[3]["check_id"])["identical"] is True


def test_who_reads_a_stored_check(api):
    c, keys, _ = api
    mine = ask(c, keys["investigator"], E)["check_id"]
    assert stored(c, keys["admin"], mine)["role"] == "investigator"
    assert stored(c, keys["investigator"], mine)["check_id"] == mine
    assert stored(c, keys["city"], mine)["identical"] is True       # a subject of its region
    for other in ("changsha", "public"):
        assert_error(c.get(f"/v1/checks/{mine}", headers=keys[other]), 404, "not_found", "check_id")
    assert_error(c.get("/v1/checks/nope", headers=keys["admin"]), 404, "not_found", "check_id")


def test_facts_known_at_before_and_after_a_correcting_load(api):
    c, keys, world = api
    h = keys["admin"]
    before = last_seq(world)
    write(world, write_enterprises, [EnterpriseRow.model_validate(
        {"uscc": E, "name": "郴州知悉新名建材有限公司", "region_code": "431002"}).model_dump()])
    write(world, write_roles, [role(end_on="2020-06-30")])
    write(world, write_records, [record_row("KA-1", E, decided_on="2025-11-01", valid_until="2026-11-30",
                                            responsible_person_ids=[P])])
    write(world, write_records, [record_row("KA-9", E, decided_on="2026-11-15")])

    def facts(path, **params):
        r = c.get(path, headers=h, params=params)
        assert r.status_code == 200, r.text
        return r.json()

    now = facts(f"/v1/enterprises/{E}")
    then = facts(f"/v1/enterprises/{E}", known_at=f"seq:{before}")
    assert (now["name"], then["name"]) == ("郴州知悉新名建材有限公司", "郴州知悉测试建材有限公司")
    assert then["known_seq"] == before and then["known_at"] == f"seq:{before}" and now["known_seq"] is None
    assert [r["end_on"] for r in now["roles"]] == ["2020-06-30"]
    assert [r.get("end_on") for r in then["roles"]] == [None]
    assert {r["record_id"]: r["decided_on"] for r in now["records"]} == {"KA-1": "2025-11-01", "KA-9": "2026-11-15"}
    assert {r["record_id"]: r["decided_on"] for r in then["records"]} == {"KA-1": "2026-11-01"}
    # as_of with known_at: the role held on 2024-01-01 as it was known then, not as corrected.
    assert facts(f"/v1/enterprises/{E}", as_of="2024-01-01")["roles"] == []
    assert len(facts(f"/v1/enterprises/{E}", as_of="2024-01-01", known_at=f"seq:{before}")["roles"]) == 1
    person_now, person_then = facts(f"/v1/persons/{P}"), facts(f"/v1/persons/{P}", known_at=f"seq:{before}")
    assert [r["end_on"] for r in person_now["roles"]] == ["2020-06-30"]
    assert [r.get("end_on") for r in person_then["roles"]] == [None]
    # Merged into E later: known at `before`, E2 answers its own facts, not a redirection.
    r = c.post("/v1/resolutions", headers=h, json={"subject_ids": [E, E2], "judgement": "same", "reason": "核查"})
    assert r.status_code in (200, 201), r.text
    merged = E2 if r.json()["canonical_id"] == E else E
    assert c.get(f"/v1/enterprises/{merged}", headers=h, follow_redirects=False).status_code == 308
    assert facts(f"/v1/enterprises/{merged}", known_at=f"seq:{before}")["uscc"] == merged
    # Not known yet at 0: as an unknown id.
    assert_error(c.get(f"/v1/enterprises/{E}", headers=h, params={"known_at": "seq:0"}), 404, "not_found", "uscc")
    assert_error(c.get(f"/v1/enterprises/{E}", headers=h, params={"known_at": "soon"}), 422, "invalid_request",
                 "known_at")
    assert_error(c.get(f"/v1/persons/{P}", headers=h, params={"known_at": "seq:x"}), 422, "invalid_request",
                 "known_at")
