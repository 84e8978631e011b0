"""The change log and its feed (issue 18 points 1, 3, 6, 7; docs/changes.md), on the real Neo4j:
what each write path logs, in one change set with what it caused; the feed's order, cursor,
filters and scope; the histories; the command line; concurrent writers and a reader meanwhile."""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from api_helpers import assert_error, client, make_key
from typer.testing import CliRunner
from workflow_fixtures import record_row, regions, resident_id, seed, uscc

from graph_service.cli import app as cli_app
from graph_service.cypher import query
from graph_service.facts.models import EnterpriseRow, RoleRow
from graph_service.facts.writer import Provenance
from graph_service.propagation.writes import write_enterprises, write_records, write_roles

E = uscc(41)                         # 北湖区 431002
E_CS = uscc(42, "430102")            # 芙蓉区, Changsha
P = resident_id(41)                  # legal representative of E, named responsible
Q = resident_id(42)
CYPHER = Path(__file__).resolve().parents[1] / "cypher"


def entries(driver, after: int = 0) -> list[dict]:
    rows = driver.execute_query(query("testing/change_log"), after=after).records
    out = []
    for r in rows:
        c = dict(r["c"])
        for k in ("before", "after"):
            c[k] = json.loads(c[k]) if c.get(k) else None
        out.append(c)
    return out


def last_seq(driver) -> int:
    row = driver.execute_query(query("testing/last_change_seq")).records[0]
    return row["n"]


def prov(load: str = "load-1") -> Provenance:
    return Provenance(load, "x.csv", datetime(2026, 12, 1, tzinfo=UTC), "郴州市市场监督管理局")


def write(driver, writer, rows, p=None):
    with driver.session() as s:
        return s.execute_write(lambda tx: writer(tx, rows, p or prov()))


@pytest.fixture
def world(graph):
    regions(graph)
    seed(graph, enterprises=[{"uscc": E, "name": "郴州变更测试建材有限公司", "region_code": "431002"},
                             {"uscc": E_CS, "name": "长沙变更测试投资有限公司", "region_code": "430102"}],
         persons=[{"person_id": P, "name": "王变更"}, {"person_id": Q, "name": "李变更"}],
         roles=[{"person_id": P, "uscc": E, "role": "legal_representative", "start_on": "2019-01-01"}])
    return graph


def test_registry_rows_are_logged_with_who_reported_them(world):
    log = entries(world)
    kinds = [(e["kind"], e["key"]) for e in log]
    assert ("enterprise.added", E) in kinds and ("enterprise.added", E_CS) in kinds
    assert ("person.added", P) in kinds and ("person.added", Q) in kinds
    role = next(e for e in log if e["kind"] == "role.added")
    assert role["key"].startswith(f"{P}|{E}|legal_representative") and set(role["subjects"]) == {P, E}
    assert role["after"]["start_on"] == "2019-01-01" and role["before"] is None
    assert all(e["actor"] == "load:test-load" for e in log)
    added = next(e for e in log if e["key"] == E)
    assert added["after"]["name"] == "郴州变更测试建材有限公司" and added["after"]["region_code"] == "431002"
    # The region and its ancestors: a city's key reads its counties' changes.
    assert {"431002", "431000", "430000"} <= set(added["regions"])
    assert "430102" in next(e for e in log if e["key"] == E_CS)["regions"]
    seqs = [e["seq"] for e in log]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


def test_a_record_logs_its_liabilities_and_decisions_in_its_change_set(world):
    before = last_seq(world)
    write(world, write_records, [record_row("CH-B-1", E, decided_on="2026-11-01", responsible_person_ids=[P])],
          prov("load-2"))
    log = entries(world, before)
    assert len({e["set"] for e in log}) == 1 and log[0]["set"] == log[0]["seq"]
    assert log[0]["kind"] == "record.added" and log[0]["key"] == "CH-B-1"
    assert set(log[0]["subjects"]) == {E, P} and "431000" in log[0]["regions"]
    started = {e["key"] for e in log if e["kind"] == "liability.started"}
    assert any(k.endswith(f"|CH-B-1|{E}") or f"|CH-B-1|{E}" in k for k in started), started
    assert any(f"|CH-B-1|{P}" in k for k in started), started
    decisions = {e["key"]: e for e in log if e["kind"] == "decision.changed"}
    bid = decisions[f"{E}|public_procurement_bid"]
    assert bid["before"]["decision"] == "clear" and bid["after"]["decision"] == "restricted"
    assert bid["after"]["measures"] and bid["subjects"] == [E]
    assert f"{P}|serve_as_legal_representative" in decisions
    # Derived entries name the change that caused them.
    assert {e["actor"] for e in log} == {"load:load-2"}
    assert {e["department"] for e in log} == {"郴州市市场监督管理局"}


def test_a_reload_logs_nothing_and_a_change_logs_before_and_after(world):
    write(world, write_records, [record_row("CH-B-1", E, decided_on="2026-11-01", responsible_person_ids=[P])])
    before = last_seq(world)
    seed(world, enterprises=[{"uscc": E, "name": "郴州变更测试建材有限公司", "region_code": "431002"}])
    write(world, write_records, [record_row("CH-B-1", E, decided_on="2026-11-01", responsible_person_ids=[P])])
    assert last_seq(world) == before
    write(world, write_enterprises, [EnterpriseRow.model_validate(
        {"uscc": E, "name": "郴州新名建材有限公司", "region_code": "431002"}).model_dump()], prov("load-3"))
    [renamed] = entries(world, before)
    assert renamed["kind"] == "enterprise.changed"
    assert renamed["before"] == {"name": "郴州变更测试建材有限公司"} and renamed["after"] == {"name": "郴州新名建材有限公司"}
    mark = last_seq(world)
    write(world, write_roles, [RoleRow.model_validate(
        {"person_id": P, "uscc": E, "role": "legal_representative", "start_on": "2019-01-01",
         "end_on": "2026-12-01"}).model_dump()], prov("load-4"))
    ended = [e for e in entries(world, mark) if e["kind"].startswith("role.")]
    assert [(e["kind"], e["before"], e["after"]) for e in ended] == [
        ("role.ended", {"end_on": None}, {"end_on": "2026-12-01"})]


def test_an_objection_and_a_revocation_are_logged_with_their_consequences(world):
    with client() as c:
        city = make_key(world, "department", "431000")
        r = c.post("/v1/records", headers=city, json={
            "record_id": "CH-B-2", "subject_kind": "enterprise", "subject_id": E, "kind": "black",
            "category": "health_safety", "authority": "郴州市市场监督管理局", "authority_region": "431000",
            "decided_on": "2026-11-20", "legal_basis": "《食品安全法》", "responsible_person_ids": [P]})
        assert r.status_code == 201, r.text
        initiated = [e for e in entries(world) if e["key"] == "CH-B-2"]
        assert [e["kind"] for e in initiated] == ["record.initiated"] and initiated[0]["actor"].startswith("api:")
        mark = last_seq(world)
        r = c.post("/v1/records/CH-B-2/objections", headers=city, json={"notice_on": "2026-11-25", "filed_by": "subject"})
        assert r.status_code == 201, r.text
        oid = r.json()["objection_id"]
        filed = entries(world, mark)
        assert filed[0]["kind"] == "objection.filed" and filed[0]["key"] == oid
        assert filed[0]["after"]["record_id"] == "CH-B-2"
        # The objection suspends the record's measures: decisions change with no liability changing.
        suspended = {e["key"]: e for e in filed[1:]}
        assert {e["kind"] for e in filed[1:]} == {"decision.changed"}
        bid = suspended[f"{E}|public_procurement_bid"]
        assert (bid["before"]["decision"], bid["after"]["decision"]) == ("restricted", "clear")
        mark = last_seq(world)
        r = c.post(f"/v1/objections/{oid}/resolution", headers=city,
                   json={"outcome": "revoked", "on": "2026-11-28", "reason": "处罚对象有误"})
        assert r.status_code == 200, r.text
        log = entries(world, mark)
    kinds = [e["kind"] for e in log]
    assert kinds[:2] == ["objection.resolved", "record.revoked"], kinds
    assert len({e["set"] for e in log}) == 1
    ended = [e for e in log if e["kind"] == "liability.ended"]
    assert ended and all("CH-B-2" in e["key"] for e in ended)
    # Suspended, then revoked: clear before and after, so no decision changed in this set (the
    # recomputation's own restricted -> clear is left out: the workflow logs the net change).
    assert not [e for e in log if e["kind"] == "decision.changed" and e["key"].startswith(E)]


# --- the feed over HTTP ------------------------------------------------------------------------------

@pytest.fixture
def api(world):
    write(world, write_records, [record_row("CH-B-1", E, decided_on="2026-11-01", responsible_person_ids=[P])])
    with client() as c:
        keys = {"admin": make_key(world, "admin"), "city": make_key(world, "department", "431000"),
                "changsha": make_key(world, "department", "430100"), "public": make_key(world, "public"),
                "investigator": make_key(world, "investigator")}
        yield c, keys, world


def _all(c, h, **params) -> list[dict]:
    out, cursor = [], None
    for _ in range(1000):
        body = c.get("/v1/changes", headers=h, params={**params, **({"cursor": cursor} if cursor else {})}).json()
        out += body["items"]
        cursor = body["next_cursor"]
        if body["caught_up"]:
            return out
    raise AssertionError("the feed never caught up")


def test_the_feed_pages_in_order_and_a_kept_cursor_misses_nothing(api):
    c, k, driver = api
    whole = c.get("/v1/changes", headers=k["admin"], params={"since": 0, "limit": 1000})
    assert whole.status_code == 200, whole.text
    body = whole.json()
    assert body["caught_up"] is True and body["last_seq"] == last_seq(driver)
    seqs = [e["seq"] for e in body["items"]]
    assert seqs == sorted(seqs) and len(seqs) == len(entries(driver))
    assert [e["seq"] for e in _all(c, k["admin"], limit=3)] == seqs
    # since = a sequence number; the page after the last is empty and still gives a cursor.
    tail = c.get("/v1/changes", headers=k["admin"], params={"since": seqs[-3]}).json()
    assert [e["seq"] for e in tail["items"]] == seqs[-2:]
    end = c.get("/v1/changes", headers=k["admin"], params={"cursor": body["next_cursor"]}).json()
    assert end["items"] == [] and end["caught_up"] and end["next_cursor"] == body["next_cursor"]
    # What commits later is read with the kept cursor, once.
    write(driver, write_enterprises, [EnterpriseRow.model_validate(
        {"uscc": E, "name": "郴州又名建材有限公司", "region_code": "431002"}).model_dump()], prov("load-5"))
    later = c.get("/v1/changes", headers=k["admin"], params={"cursor": body["next_cursor"]}).json()
    assert [e["kind"] for e in later["items"]] == ["enterprise.changed"]
    assert later["items"][0]["before"] == {"name": "郴州变更测试建材有限公司"}


def test_the_feed_filters_by_kind_subject_and_region(api):
    c, k, _ = api
    records = _all(c, k["admin"], kinds="record,decision.changed")
    assert records and {e["kind"] for e in records} == {"record.added", "decision.changed"}
    about_q = _all(c, k["admin"], subject=Q)
    assert [e["kind"] for e in about_q] == ["person.added"]
    changsha = _all(c, k["admin"], region="430100")
    assert {e["key"] for e in changsha} == {E_CS}
    # A key with a region reads its region only, asked or not.
    assert {e["key"] for e in _all(c, k["changsha"])} == {E_CS}
    assert all("431000" in e["regions"] for e in _all(c, k["city"]))
    assert_error(c.get("/v1/changes", headers=k["changsha"], params={"region": "431000"}), 403, "outside_region",
                 "region")


def test_feed_errors_name_the_field(api):
    c, k, _ = api
    h = k["admin"]
    assert_error(c.get("/v1/changes", headers=k["public"]), 403, "forbidden")
    assert_error(c.get("/v1/changes", headers=h, params={"kinds": "record.burnt"}), 422, "invalid_request", "kinds")
    assert_error(c.get("/v1/changes", headers=h, params={"limit": 0}), 422, "invalid_request", "limit")
    assert_error(c.get("/v1/changes", headers=h, params={"limit": 100000}), 422, "invalid_request", "limit")
    assert_error(c.get("/v1/changes", headers=h, params={"cursor": "nonsense"}), 422, "invalid_cursor", "cursor")
    assert_error(c.get("/v1/changes", headers=h, params={"since": -1}), 422, "invalid_request", "since")
    assert_error(c.get("/v1/changes", headers=h, params={"since": 0, "cursor": "eyJhZnRlciI6MH0"}), 422,
                 "invalid_request", "cursor")


def test_histories_of_an_enterprise_and_a_person(api):
    c, k, _ = api
    r = c.get(f"/v1/enterprises/{E}/history", headers=k["city"])
    assert r.status_code == 200, r.text
    kinds = [e["kind"] for e in r.json()["items"]]
    assert kinds[0] == "enterprise.added" and "role.added" in kinds and "record.added" in kinds
    assert "decision.changed" in kinds
    only = c.get(f"/v1/enterprises/{E}/history", headers=k["city"], params={"kinds": "role"}).json()
    assert [e["kind"] for e in only["items"]] == ["role.added"]
    assert_error(c.get(f"/v1/enterprises/{E}/history", headers=k["changsha"]), 404, "not_found", "uscc")
    assert_error(c.get(f"/v1/enterprises/{E}/history", headers=k["public"]), 403, "forbidden")
    person = c.get(f"/v1/persons/{P}/history", headers=k["investigator"], params={"kinds": "person,role"})
    assert_error(person, 422, "purpose_required", "X-Purpose")
    person = c.get(f"/v1/persons/{P}/history", headers={**k["investigator"], "X-Purpose": "案件核查".encode()},
                   params={"kinds": "person,role"})
    assert person.status_code == 200, person.text
    assert [e["kind"] for e in person.json()["items"]] == ["person.added", "role.added"]


def test_the_command_line_prints_the_feed(api):
    _, _, driver = api
    result = CliRunner().invoke(cli_app, ["changes", "--since", "0", "--kinds", "record"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "\t" in line]
    assert len(lines) == 1 and "\trecord.added\tCH-B-1\t" in lines[0]
    assert f"caught up at {last_seq(driver)}" in result.output
    bad = CliRunner().invoke(cli_app, ["changes", "--kinds", "nope"])
    assert bad.exit_code == 2 and "--kinds" in bad.output


# --- concurrency and immutability --------------------------------------------------------------------

def test_concurrent_writers_lose_no_entry_and_a_reader_sees_each_once(world):
    start = last_seq(world)
    writers, rows_each = 4, 15
    seen: list[int] = []
    done = threading.Event()
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        try:
            for i in range(rows_each):
                row = EnterpriseRow.model_validate({"uscc": uscc(1000 + w * 100 + i), "name": f"并发测试{w}号{i}有限公司",
                                                    "region_code": "431002"}).model_dump()
                write(world, write_enterprises, [row], prov(f"load-w{w}"))
        except BaseException as exc:
            errors.append(exc)

    def reader() -> None:
        after = start
        while True:
            finished = done.is_set()
            rows = world.execute_query(query("changes/feed"), after=after, limit=50, scan=50, region=None,
                                       kinds=None).records[0]
            seen.extend(e["seq"] for e in rows["entries"])
            after = rows["last"]
            if finished and rows["end"]:
                return

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    read = threading.Thread(target=reader)
    read.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    read.join(60)
    assert not errors, errors
    log = entries(world, start)
    assert len(log) == writers * rows_each
    assert [e["seq"] for e in log] == list(range(start + 1, start + 1 + writers * rows_each))
    assert seen == [e["seq"] for e in log]  # every entry once, in order
    # One write, one change set; each set's entries are consecutive.
    assert len({e["set"] for e in log}) == writers * rows_each


def test_no_statement_rewrites_or_deletes_the_log():
    shipped = [p for p in CYPHER.rglob("*.cypher") if p.parts[-2] not in ("testing", "bench")]
    touching = [p for p in shipped if re.search(r":Change\b", p.read_text(encoding="utf-8"))]
    assert {p.name for p in touching} >= {"append.cypher", "feed.cypher"}
    for p in touching:
        text = re.sub(r"//.*", "", p.read_text(encoding="utf-8"))
        if p.name == "append.cypher":
            # It numbers the entries it has just created, in the same statement.
            assert re.findall(r"\bSET x\.", text) == ["SET x.", "SET x."], p
            continue
        assert not re.search(r"\b(SET|DELETE|REMOVE|MERGE)\b", text), p
