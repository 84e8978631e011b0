"""The daily sweep (issue 18 point 2; docs/changes.md, "Changes made by time") on the real Neo4j:
a record expiring overnight is logged dated the day it took effect, with the decisions it changed,
and a watch on its subject gets the alert; a repair period's end; days missed are swept one by
one; a day is swept once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from api_helpers import client, make_key
from typer.testing import CliRunner
from workflow_fixtures import record_row, regions, resident_id, seed, uscc

from graph_service.changes import worker
from graph_service.changes.sweep import missed_days, sweep
from graph_service.cli import app as cli_app
from graph_service.cypher import query
from graph_service.facts.writer import Provenance
from graph_service.propagation.writes import write_records
from graph_service.settings import ServiceSettings
from graph_service.workflow.repair import terms

E = uscc(61)
P = resident_id(61)
D = date(2026, 12, 10)  # the day the record is out of force: its last day is D - 1
PROV = Provenance("load-s", "records.csv", datetime(2026, 12, 1, tzinfo=UTC))


def entries(driver, **where) -> list[dict]:
    rows = driver.execute_query(query("testing/change_log"), after=0).records
    out = []
    for r in rows:
        c = dict(r["c"])
        c["before"] = json.loads(c["before"]) if c.get("before") else None
        c["after"] = json.loads(c["after"]) if c.get("after") else None
        if all(c.get(k) == v for k, v in where.items()):
            out.append(c)
    return out


def setup(graph, **record) -> None:
    regions(graph)
    seed(graph, enterprises=[{"uscc": E, "name": "郴州清扫测试食品有限公司", "region_code": "431002"}],
         persons=[{"person_id": P, "name": "周清扫"}],
         roles=[{"person_id": P, "uscc": E, "role": "legal_representative", "start_on": "2019-01-01"}])
    row = record_row("SW-B-1", E, **record)
    with graph.session() as s:
        s.execute_write(lambda tx: write_records(tx, [row], PROV))


def test_a_record_expiring_overnight_is_logged_and_alerts_the_watch(graph):
    setup(graph, decided_on="2026-06-01", valid_until=(D - timedelta(days=1)).isoformat())
    with client() as c:
        h = make_key(graph, "department", "431000")
        watch = c.post("/v1/watches", headers=h, json={"subjects": [E]}).json()
        assert sweep(graph, D - timedelta(days=1)) == {D - timedelta(days=1): 0}
        assert sweep(graph, D) == {D: len(entries(graph, actor="sweep"))}
        [expired] = entries(graph, kind="record.expired")
        assert expired["key"] == "SW-B-1" and expired["effective_on"].to_native() == D
        assert expired["after"] == {"in_force": False, "ended_on": D.isoformat()}
        decisions = entries(graph, kind="decision.changed", actor="sweep")
        bid = next(e for e in decisions if e["key"] == f"{E}|public_procurement_bid")
        assert bid["before"]["decision"] == "restricted" and bid["after"]["decision"] == "clear"
        assert {e["set"] for e in entries(graph, actor="sweep")} == {expired["set"]}
        # Swept once: again, nothing.
        assert sweep(graph, D) == {}
        worker.process(graph, ServiceSettings(alerts_in_background=False))
        [alert] = c.get(f"/v1/watches/{watch['watch_id']}/alerts", headers=h).json()["items"]
    assert alert["subject_id"] == E and alert["set"] == expired["set"]
    assert {ch["kind"] for ch in alert["changes"]} == {"record.expired"}
    assert any(d["action"] == "public_procurement_bid" and d["after"]["decision"] == "clear"
               for d in alert["decisions"])


def test_the_end_of_a_minimum_repair_period_is_logged(graph):
    decided = date(2026, 9, 10)
    earliest = terms("black", "general", decided).earliest_on
    assert earliest is not None
    setup(graph, decided_on=decided.isoformat(), severity="general")
    sweep(graph, earliest - timedelta(days=1))
    assert entries(graph, kind="repair_period.ended") == []
    sweep(graph, earliest)
    [ended] = entries(graph, kind="repair_period.ended")
    assert ended["key"] == "SW-B-1" and ended["after"]["repairable_from"] == earliest.isoformat()


def test_missed_days_are_swept_each_in_its_own_change_set(graph):
    setup(graph, decided_on="2026-06-01", valid_until=(D - timedelta(days=1)).isoformat())
    sweep(graph, D - timedelta(days=3))
    done = sweep(graph, D + timedelta(days=1))
    assert list(done) == [D - timedelta(days=2), D - timedelta(days=1), D, D + timedelta(days=1)]
    assert [e["effective_on"].to_native() for e in entries(graph, kind="record.expired")] == [D]
    assert missed_days(None, D) == [D]
    result = CliRunner().invoke(cli_app, ["sweep", "--until", (D + timedelta(days=2)).isoformat()])
    assert result.exit_code == 0 and "swept 1 day(s)" in result.output, result.output
    bad = CliRunner().invoke(cli_app, ["sweep", "--until", "2026-13-01"])
    assert bad.exit_code == 2 and "--until" in bad.output
