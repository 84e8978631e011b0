"""`credit-graph keys create`, `credit-graph demo --no-serve`, and the read timeout."""

from __future__ import annotations

import re

from api_helpers import assert_error, client
from fastapi import Depends
from typer.testing import CliRunner

from graph_service.api.deps import get_graph
from graph_service.api.examples import DEMO_USCC
from graph_service.cli import app as cli
from graph_service.runner import Graph

runner = CliRunner()


def test_keys_create_prints_a_working_key_once(graph):
    result = runner.invoke(cli, ["keys", "create", "--role", "public", "--label", "site"])
    assert result.exit_code == 0, result.output
    [key] = re.findall(r"cg_[0-9a-f]{16}_[A-Za-z0-9_\-]+", result.stdout)
    listed = runner.invoke(cli, ["keys", "list"])
    assert key.split("_")[1] in listed.stdout and key not in listed.stdout
    with client() as c:
        assert_error(c.get(f"/v1/enterprises/{DEMO_USCC}", headers={"X-API-Key": key}), 404, "not_found", "uscc")


def test_keys_create_refuses_bad_requests(graph):
    for args, reason in ((["--role", "root"], "unknown role"),
                         (["--role", "department"], "needs --region"),
                         (["--role", "department", "--region", "4310"], "6-digit")):
        result = runner.invoke(cli, ["keys", "create", *args])
        assert result.exit_code == 2 and reason in result.output, result.output


def test_demo_loads_the_bundle_and_prints_an_admin_key_and_the_url(graph):
    result = runner.invoke(cli, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    [key] = set(re.findall(r"cg_[0-9a-f]{16}_[A-Za-z0-9_\-]+", result.stdout))  # in the text and the curl line
    assert f"http://127.0.0.1:8000/v1/enterprises/{DEMO_USCC}" in result.stdout
    with client() as c:
        resp = c.get(f"/v1/enterprises/{DEMO_USCC}", headers={"X-API-Key": key})
        assert resp.status_code == 200, resp.text
        assert resp.json()["name"] == "郴州市恒基建材有限公司"


def test_reads_stop_at_the_transaction_timeout(graph, monkeypatch):
    from graph_service import settings

    monkeypatch.setenv("NEO4J_READ_TIMEOUT_S", "0.5")
    settings.neo4j_settings.cache_clear()
    c = client(api_keys_required=False)

    @c.app.get("/test/slow")
    async def slow(graph: Graph = Depends(get_graph)):
        return await graph.read("testing/slow_count", n=2_000_000_000)

    with c:
        assert_error(c.get("/test/slow"), 504, "query_timeout")
        assert c.get("/readyz").status_code == 200
