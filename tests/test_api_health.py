"""Liveness, readiness, and 503 + Retry-After while Neo4j is unreachable, with recovery after."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from api_helpers import TcpProxy, assert_error, client, free_port, make_key

from graph_service import settings


def test_healthz_and_readyz(graph):
    with client() as c:
        assert c.get("/healthz").json() == {"status": "ok"}
        resp = c.get("/readyz")
        assert resp.status_code == 200, resp.text
        assert resp.json() == {"status": "ready", "neo4j": "reachable", "schema_applied": True, "warmed_up": False}


def test_the_serving_process_tunes_the_garbage_collector_and_restores_it(graph):
    import gc

    before = gc.get_threshold()
    with client(gc_thresholds=(12345, 20, 30)) as c:
        assert c.get("/healthz").status_code == 200
        assert gc.get_threshold() == (12345, 20, 30)
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    with client(gc_freeze=False):
        assert gc.get_threshold() == before


@pytest.fixture
def unreachable_then_back(graph, neo4j_conn, monkeypatch):
    """NEO4J_URI points at a closed port; the returned proxy brings Neo4j onto it on start()."""
    port = free_port()
    # bolt:// (no routing): a routing table would send the driver to Neo4j's own port, past the proxy.
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{port}")
    settings.neo4j_settings.cache_clear()
    proxy = TcpProxy(port, urlparse(neo4j_conn.uri).port)
    yield proxy
    proxy.stop()
    settings.neo4j_settings.cache_clear()


def test_503_with_retry_after_while_neo4j_is_away_then_recovers(graph, unreachable_then_back):
    headers = make_key(graph, "admin")  # written straight to the real Neo4j, not through the proxy
    url = "/v1/enterprises/91431002MA4L0C5B8T"
    with client(retry_after_s=3) as c:
        for path, h in (("/readyz", {}), (url, headers)):
            resp = c.get(path, headers=h)
            assert_error(resp, 503, "neo4j_unavailable")
            assert resp.headers["Retry-After"] == "3"
        assert c.get("/healthz").status_code == 200

        unreachable_then_back.start()
        assert c.get("/readyz").status_code == 200
        assert_error(c.get(url, headers=headers), 404, "not_found", "uscc")

        unreachable_then_back.stop()
        assert_error(c.get(url, headers=headers), 503, "neo4j_unavailable")

        unreachable_then_back.start()
        assert_error(c.get(url, headers=headers), 404, "not_found", "uscc")
