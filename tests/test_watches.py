"""Watches, alerts and webhooks (issue 18 point 4; docs/changes.md, Watches) on the real Neo4j:
a watch with depth 2 alerts when the legal representative of a company its subject holds 30 % of
is sanctioned, and not for an unrelated change; region watches; actions; the alerter in the
background; signed webhook deliveries to a receiver on the loopback address, retried, logged,
disabled after repeated failures and enabled again by their owner."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from api_helpers import assert_error, client, make_key
from typer.testing import CliRunner
from workflow_fixtures import record_row, regions, resident_id, seed, uscc

from graph_service.changes import worker
from graph_service.changes.alerter import Near, Watch, alerts_of
from graph_service.cli import app as cli_app
from graph_service.facts.models import HoldingRow
from graph_service.facts.writer import Provenance
from graph_service.propagation.writes import write_records, write_shareholdings
from graph_service.settings import ServiceSettings

W = uscc(51)              # the watched company (北湖区)
C = uscc(52)              # a company W holds 30 % of
X = uscc(53)              # unrelated
CS = uscc(54, "430102")   # in Changsha
L = resident_id(51)       # C's legal representative
M = resident_id(52)       # X's legal representative
PROV = Provenance("load-w", "records.csv", datetime(2026, 12, 1, tzinfo=UTC))


def person_record(record_id: str, person: str) -> dict:
    return record_row(record_id, person, subject_kind="person", kind="black", category="defy_judicial_admin",
                      severity="serious", authority="郴州市北湖区人民法院", authority_region="431002",
                      decided_on="2026-11-20", legal_basis="《最高人民法院关于限制被执行人高消费及有关消费的若干规定》")


def write(driver, writer, rows):
    with driver.session() as s:
        s.execute_write(lambda tx: writer(tx, rows, PROV))


@pytest.fixture
def world(graph):
    regions(graph)
    seed(graph, enterprises=[{"uscc": W, "name": "郴州观察控股有限公司", "region_code": "431002"},
                             {"uscc": C, "name": "郴州观察建材有限公司", "region_code": "431002"},
                             {"uscc": X, "name": "郴州无关贸易有限公司", "region_code": "431002"},
                             {"uscc": CS, "name": "长沙观察投资有限公司", "region_code": "430102"}],
         persons=[{"person_id": L, "name": "刘观察"}, {"person_id": M, "name": "马无关"}],
         roles=[{"person_id": L, "uscc": C, "role": "legal_representative", "start_on": "2019-01-01"},
                {"person_id": M, "uscc": X, "role": "legal_representative", "start_on": "2019-01-01"}])
    write(graph, write_shareholdings, [HoldingRow.model_validate(
        {"holder_id": W, "holder_kind": "enterprise", "uscc": C, "ratio": 0.3, "start_on": "2020-01-01"}).model_dump()])
    return graph


def settings(**over) -> ServiceSettings:
    return ServiceSettings(**{"alerts_in_background": False, "webhook_backoff_s": 0.05, "webhook_timeout_s": 2.0,
                              **over})


def test_a_depth_2_watch_alerts_on_the_sanctioned_representative_and_not_on_others(world):
    with client() as c:
        h = make_key(world, "department", "431000")
        r = c.post("/v1/watches", headers=h, json={"subjects": [W], "depth": 2, "name": "观察"})
        assert r.status_code == 201, r.text
        watch = r.json()
        assert watch["since_seq"] > 0 and watch["webhook"] is None
        write(world, write_records, [person_record("WT-B-1", M)])  # unrelated: X's representative
        assert worker.process(world, settings())["alerts"] == 0
        write(world, write_records, [person_record("WT-B-2", L)])
        assert worker.process(world, settings())["alerts"] == 1
        page = c.get(f"/v1/watches/{watch['watch_id']}/alerts", headers=h).json()
    [alert] = page["items"]
    assert alert["subject_id"] == W and alert["path"] == [W, C, L]
    assert alert["links"] == ["shareholder 0.3", "legal_representative"]
    decisions = {d["action"]: d for d in alert["decisions"]}
    assert decisions and all(d["subject_id"] == L for d in decisions.values())
    restricted = [d for d in decisions.values() if d["after"]["decision"] == "restricted"]
    assert restricted and all(d["before"]["decision"] == "clear" for d in restricted)
    assert [ch["kind"] for ch in alert["changes"]] == ["record.added"]
    assert alert["changes"][0]["path"] == [W, C, L]
    assert alert["change_seqs"] == sorted(alert["change_seqs"]) and len(alert["change_seqs"]) > len(decisions)
    assert alert["set"] == min(alert["change_seqs"])


def test_depth_bounds_the_neighbourhood_and_actions_filter(world):
    with client() as c:
        h = make_key(world, "admin")
        near = c.post("/v1/watches", headers=h, json={"subjects": [W], "depth": 1}).json()
        green = c.post("/v1/watches", headers=h, json={"subjects": [L], "actions": ["green_channel"]}).json()
        flights = c.post("/v1/watches", headers=h, json={"subjects": [L], "actions": ["flight"]}).json()
        write(world, write_records, [person_record("WT-B-3", L)])
        worker.process(world, settings())
        got = {w["watch_id"]: c.get(f"/v1/watches/{w['watch_id']}/alerts", headers=h).json()["items"]
               for w in (near, green, flights)}
    assert got[near["watch_id"]] == []  # L is two links from W
    # A court record restricts flights and does nothing to the green channel (an incentive).
    assert got[green["watch_id"]] == []
    [alert] = got[flights["watch_id"]]
    assert {d["action"] for d in alert["decisions"]} == {"flight"}


def test_a_region_watch_alerts_per_subject_changed(world):
    with client() as c:
        h = make_key(world, "admin")
        beihu = c.post("/v1/watches", headers=h, json={"regions": ["431002"]}).json()
        changsha = c.post("/v1/watches", headers=h, json={"regions": ["430100"]}).json()
        write(world, write_records, [person_record("WT-B-4", L), person_record("WT-B-5", M)])
        worker.process(world, settings())
        b = c.get(f"/v1/watches/{beihu['watch_id']}/alerts", headers=h).json()["items"]
        cs = c.get(f"/v1/watches/{changsha['watch_id']}/alerts", headers=h).json()["items"]
    assert sorted(a["subject_id"] for a in b) == sorted([L, M]) and len({a["set"] for a in b}) == 1
    assert cs == []


def test_watch_requests_are_checked_and_owned(world):
    with client() as c:
        city, changsha = make_key(world, "department", "431000"), make_key(world, "department", "430100")
        assert_error(c.post("/v1/watches", headers=city, json={}), 422, "invalid_request", "subjects")
        assert_error(c.post("/v1/watches", headers=city, json={"subjects": [W], "depth": 3}), 422,
                     "invalid_request", "depth")
        assert_error(c.post("/v1/watches", headers=city, json={"subjects": [W], "actions": ["fly"]}), 422,
                     "invalid_request", "actions[0]")
        assert_error(c.post("/v1/watches", headers=city, json={"regions": ["999999"]}), 422, "invalid_request",
                     "regions[0]")
        assert_error(c.post("/v1/watches", headers=city, json={"subjects": [W], "webhook_url": "ftp://x"}), 422,
                     "invalid_request", "webhook_url")
        assert_error(c.post("/v1/watches", headers=city, json={"subjects": [W], "extra": 1}), 422,
                     "invalid_request", "extra")
        # A department watches what it may read.
        assert_error(c.post("/v1/watches", headers=changsha, json={"subjects": [W]}), 404, "not_found", "subjects[0]")
        assert_error(c.post("/v1/watches", headers=changsha, json={"regions": ["431002"]}), 403, "outside_region",
                     "regions[0]")
        assert_error(c.post("/v1/watches", headers=make_key(world, "public"), json={"subjects": [W]}), 403,
                     "forbidden")
        mine = c.post("/v1/watches", headers=city, json={"subjects": [W]}).json()
        assert_error(c.get(f"/v1/watches/{mine['watch_id']}", headers=changsha), 404, "not_found", "watch_id")
        assert [w["watch_id"] for w in c.get("/v1/watches", headers=city).json()["items"]] == [mine["watch_id"]]
        assert c.get("/v1/watches", headers=changsha).json()["items"] == []
        gone = c.delete(f"/v1/watches/{mine['watch_id']}", headers=city)
        assert gone.status_code == 200 and gone.json()["status"] == "deleted"
        assert c.get("/v1/watches", headers=city).json()["items"] == []


def test_the_background_alerter_makes_an_alert_readable_soon_after_the_write(world):
    with client(alerts_in_background=True, alerts_poll_s=0.05) as c:
        h = make_key(world, "admin")
        watch = c.post("/v1/watches", headers=h, json={"subjects": [L]}).json()
        write(world, write_records, [person_record("WT-B-6", L)])
        written = time.monotonic()
        items: list = []
        while not items and time.monotonic() - written < 10:
            items = c.get(f"/v1/watches/{watch['watch_id']}/alerts", headers=h).json()["items"]
            time.sleep(0.05)
    assert [a["subject_id"] for a in items] == [L]


def test_the_command_line_adds_and_reads_watches(world):
    runner = CliRunner()
    made = runner.invoke(cli_app, ["watch", "add", "--subject", W, "--depth", "2"])
    assert made.exit_code == 0, made.output
    watch_id = json.loads(made.output)["watch_id"]
    write(world, write_records, [person_record("WT-B-7", L)])
    done = runner.invoke(cli_app, ["watch", "process"])
    assert done.exit_code == 0 and "1 alerts written" in done.output, done.output
    page = json.loads(runner.invoke(cli_app, ["watch", "alerts", watch_id]).output)
    assert [a["path"] for a in page["items"]] == [[W, C, L]]
    bad = runner.invoke(cli_app, ["watch", "add", "--subject", W, "--depth", "5"])
    assert bad.exit_code == 2 and "depth" in bad.output


# --- webhooks ------------------------------------------------------------------------------------

class Receiver:
    """An HTTP receiver on 127.0.0.1 answering `status` and keeping what it got."""

    def __init__(self) -> None:
        self.status = 204
        self.got: list[tuple[dict, bytes]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.got.append((dict(self.headers), body))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def test_webhooks_are_signed_retried_logged_disabled_and_enabled_again(world, receiver):
    s = settings(webhook_attempts=2, webhook_max_failures=1)
    with client() as c:
        h = make_key(world, "admin")
        made = c.post("/v1/watches", headers=h, json={"subjects": [L], "webhook_url": receiver.url}).json()
        wid, secret = made["watch_id"], made["webhook"]["secret"]
        assert len(secret) == 64 and c.get(f"/v1/watches/{wid}", headers=h).json()["webhook"].get("secret") is None
        write(world, write_records, [person_record("WT-B-8", L)])
        worker.process(world, s)
        [(headers, body)] = receiver.got
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Credit-Graph-Signature"] == expected
        sent = json.loads(body)
        assert sent["watch_id"] == wid and sent["subject_id"] == L and sent["decisions"]
        assert headers["X-Credit-Graph-Alert"] == sent["alert_id"]

        # The receiver fails: retried once after the backoff, then given up; the webhook is disabled.
        receiver.status = 500
        write(world, write_records, [person_record("WT-B-9", L)])
        worker.process(world, s)
        time.sleep(0.1)
        worker.process(world, s)
        assert len(receiver.got) == 3
        log = c.get(f"/v1/watches/{wid}/deliveries", headers=h).json()["items"]
        assert [(d["attempt"], d["outcome"], d["status_code"]) for d in log[:2]] == [(2, "failed", 500),
                                                                                    (1, "retry", 500)]
        assert log[2]["outcome"] == "delivered"
        hook = c.get(f"/v1/watches/{wid}", headers=h).json()["webhook"]
        assert hook["enabled"] is False and hook["failures"] == 1
        write(world, write_records, [person_record("WT-B-10", L)])
        worker.process(world, s)
        assert len(receiver.got) == 3  # disabled: nothing sent

        # Its owner enables it: the alerts that gave up or waited are delivered.
        receiver.status = 200
        enabled = c.post(f"/v1/watches/{wid}/webhook/enable", headers=h)
        assert enabled.status_code == 200 and enabled.json()["webhook"]["enabled"] is True
        worker.process(world, s)
        assert len(receiver.got) == 5
        alerts = c.get(f"/v1/watches/{wid}/alerts", headers=h).json()["items"]
        assert [a["delivery"] for a in alerts] == ["delivered"] * 3
        assert_error(c.post(f"/v1/watches/{c.post('/v1/watches', headers=h, json={'subjects': [W]}).json()['watch_id']}"
                            "/webhook/enable", headers=h), 409, "no_webhook", "watch_id")


# --- the matching, without Neo4j ------------------------------------------------------------------

def _entry(seq, set_, kind, subjects, regions=("431002",), key="k", before=None, after=None):
    return {"seq": seq, "set": set_, "kind": kind, "key": key, "subjects": list(subjects), "regions": list(regions),
            "before": before, "after": after}


def test_one_alert_per_watched_subject_per_change_set():
    w = Watch("w1", ["A", "B"], 2, [], None, 0, False)
    hoods = {"A": {"A": Near(0, ["A"], []), "P": Near(2, ["A", "C", "P"], ["shareholder", "director"])},
             "B": {"B": Near(0, ["B"], []), "P": Near(1, ["B", "P"], ["director"])}}
    entries = [_entry(10, 10, "record.added", ["P"]), _entry(11, 10, "liability.started", ["P"]),
               _entry(12, 10, "decision.changed", ["P"], key="P|flight",
                      before={"action": "flight", "decision": "clear", "measures": []},
                      after={"action": "flight", "decision": "restricted", "measures": ["m"]}),
               _entry(13, 13, "liability.started", ["Q"])]
    out = {a["subject_id"]: a for a in alerts_of(entries, [w], hoods)}
    assert set(out) == {"A", "B"}
    assert out["A"]["path"] == ["A", "C", "P"] and out["B"]["path"] == ["B", "P"]
    assert out["A"]["change_seqs"] == [10, 11, 12]
    assert json.loads(out["A"]["decisions"])[0]["after"]["decision"] == "restricted"
    # A set of only liabilities, or entries before the watch was made, alert nobody.
    assert alerts_of(entries, [Watch("w2", ["A"], 2, [], None, 12, False)], hoods) == []
