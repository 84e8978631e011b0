"""The audit log through the product (issue 15 item 8): GET /v1/audit and `credit-graph audit`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from api_helpers import LI, WANG, assert_error, loaded_app, make_key
from typer.testing import CliRunner

from graph_service.access import keys
from graph_service.cli import app as cli

runner = CliRunner()
CHINA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def api(neo4j_driver, neo4j_conn, tmp_path_factory):
    with loaded_app(neo4j_driver, neo4j_conn, tmp_path_factory.mktemp("bundle")) as c:
        k = {"investigator": make_key(neo4j_driver, "investigator"),
             "city": make_key(neo4j_driver, "department", "431000"),
             "admin": make_key(neo4j_driver, "admin"),
             "public": make_key(neo4j_driver, "public")}
        reads = [(k["investigator"], WANG, "案件 A-1"), (k["investigator"], LI, "案件 B-2"),
                 (k["investigator"], WANG, "核查 A-1"), (k["city"], WANG, None)]
        for h, person, purpose in reads:
            headers = {**h, **({"X-Purpose": purpose.encode()} if purpose else {})}
            assert c.get(f"/v1/persons/{person}", headers=headers).status_code == 200
        yield c, k


def key_id(headers) -> str:
    return keys.parse(headers["X-API-Key"])[0]


def audit(c, k, **params):
    r = c.get("/v1/audit", params=params, headers=k["admin"])
    assert r.status_code == 200, r.text
    return r.json()


def test_admin_reads_the_log_with_filters(api):
    c, k = api
    inv = key_id(k["investigator"])
    page = audit(c, k, key_id=inv)
    assert [(e["subject_id"], e["purpose"]) for e in page["items"]] == [(WANG, "核查 A-1"), (LI, "案件 B-2"),
                                                                          (WANG, "案件 A-1")]  # newest first
    e = page["items"][0]
    assert (e["role"], e["endpoint"], e["subject_kind"], e["key_id"]) == \
        ("investigator", "GET /v1/persons/{person_id}", "person", inv)
    assert page["next_cursor"] is None
    assert {x["key_id"] for x in audit(c, k, subject_id=WANG)["items"]} == {inv, key_id(k["city"])}
    assert len(audit(c, k, subject_id=WANG)["items"]) == 3
    assert [x["subject_id"] for x in audit(c, k, purpose="A-1")["items"]] == [WANG, WANG]
    assert audit(c, k, subject_id=LI, key_id=key_id(k["city"]))["items"] == []
    today = dt.datetime.now(CHINA).date()
    assert len(audit(c, k, since=today.isoformat(), until=today.isoformat())["items"]) == 4
    assert audit(c, k, since=(today + dt.timedelta(days=1)).isoformat())["items"] == []
    assert audit(c, k, until=(today - dt.timedelta(days=1)).isoformat())["items"] == []


def test_pages_follow_the_cursor(api):
    c, k = api
    seen, cursor = [], None
    while True:
        page = audit(c, k, limit=1, **({"cursor": cursor} if cursor else {}))
        assert len(page["items"]) <= 1 and page["limit"] == 1
        seen += [e["audit_id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [e["audit_id"] for e in audit(c, k)["items"]] and len(seen) == 4


def test_only_admins_and_only_good_filters(api):
    c, k = api
    for role in ("investigator", "city", "public"):
        assert_error(c.get("/v1/audit", headers=k[role]), 403, "forbidden")
    h = k["admin"]
    assert_error(c.get("/v1/audit", params={"since": "0"}, headers=h), 422, "invalid_request", "since")
    assert_error(c.get("/v1/audit", params={"until": "2026-13-01"}, headers=h), 422, "invalid_request", "until")
    assert_error(c.get("/v1/audit", params={"since": "2026-12-02", "until": "2026-12-01"}, headers=h),
                 422, "invalid_request", "until")
    assert_error(c.get("/v1/audit", params={"limit": 1001}, headers=h), 422, "invalid_request", "limit")
    assert_error(c.get("/v1/audit", params={"limit": 0}, headers=h), 422, "invalid_request", "limit")
    assert_error(c.get("/v1/audit", params={"cursor": "bm90IGEgY3Vyc29y"}, headers=h), 422, "invalid_cursor", "cursor")


def test_openapi_describes_the_audit_endpoint(api):
    c, _ = api
    op = c.get("/openapi.json").json()["paths"]["/v1/audit"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"key_id", "subject_id", "purpose", "since", "until", "limit",
                                                    "cursor"}
    assert op["responses"]["200"]["content"]["application/json"]["example"]["items"][0]["endpoint"]


def test_cli_prints_lines_or_json(api):
    c, k = api
    inv = key_id(k["investigator"])
    result = runner.invoke(cli, ["audit", "--key", inv, "--purpose", "A-1"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and all(line.split("\t")[4] == WANG for line in lines)
    assert lines[0].split("\t")[-1] == "核查 A-1"
    result = runner.invoke(cli, ["audit", "--subject", WANG, "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert len(out["items"]) == 2 and out["next_cursor"]
    rest = json.loads(runner.invoke(cli, ["audit", "--subject", WANG, "--json", "--cursor", out["next_cursor"]]).stdout)
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    bad = runner.invoke(cli, ["audit", "--since", "0"])
    assert bad.exit_code == 2 and "--since" in bad.output
