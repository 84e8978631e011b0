"""The start-up warm-up (graph_service/warm_up.py): /readyz waits for it; it only reads."""

from __future__ import annotations

import asyncio
import threading
import time

from api_demo import demo_app, ensure_demo

from graph_service.cypher import query


def _counts(driver):
    rec = driver.execute_query(query("testing/graph_counts")).records[0]
    return rec["nodes"], rec["relationships"]


def test_ready_once_warmed_up_and_nothing_written(neo4j_driver, neo4j_conn, monkeypatch):
    from graph_service import warm_up

    # The warm-up waits at its first shareholder tree until the test has seen /readyz refuse.
    gate = threading.Event()
    real = warm_up.shareholders

    async def gated(*args, **kwargs):
        await asyncio.to_thread(gate.wait, 30)
        return await real(*args, **kwargs)

    monkeypatch.setattr(warm_up, "shareholders", gated)
    ensure_demo(neo4j_driver, neo4j_conn.database)
    before = _counts(neo4j_driver)
    with demo_app(neo4j_driver, neo4j_conn, warm_up_s=60, warm_up_rounds=2, warm_up_subjects=5) as c:
        r = c.get("/readyz")
        assert r.status_code == 503 and r.json()["error"]["code"] == "warming_up", r.text
        assert r.headers["Retry-After"] == "1"
        gate.set()
        deadline = time.monotonic() + 60
        while (r := c.get("/readyz")).status_code != 200 and time.monotonic() < deadline:
            assert r.json()["error"]["code"] == "warming_up", r.text
            time.sleep(0.05)
        assert r.status_code == 200, r.text
        assert r.json()["warmed_up"] is True
        warm = c.app.state.warm_up
        assert warm.done and warm.error is None and warm.rounds == 2
        assert warm.subjects == {"enterprise": 5, "person": 5}
        # Per round: 5 subjects x every action in chunks, the region scopes, 10 networks,
        # 5 enterprises' trees up and down.
        assert warm.reads >= 2 * (1 + 1 + 10 + 10)
    assert _counts(neo4j_driver) == before


def test_a_failed_warm_up_leaves_readiness_to_neo4j_and_the_schema(neo4j_driver, neo4j_conn, monkeypatch):
    from graph_service import warm_up

    async def broken(*args, **kwargs):
        raise RuntimeError("no such statement")

    monkeypatch.setattr(warm_up.credit, "check_batch", broken)
    with demo_app(neo4j_driver, neo4j_conn, warm_up_s=60) as c:
        deadline = time.monotonic() + 30
        while (r := c.get("/readyz")).status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert r.status_code == 200, r.text
        assert r.json()["warmed_up"] is False
        assert "no such statement" in c.app.state.warm_up.error
