"""Answered checks are durable (issue 15 item 16): a worker killed before its check log stored
them in Neo4j loses none, the next start stores each exactly once (docs/api.md, "Durability of a
check")."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest
from api_demo import E01, E03, E05, P08, TODAY, ensure_demo
from api_helpers import free_port, make_key

from graph_service.checks.journal import CheckJournal
from graph_service.cypher import query

ASKED = [(E01, "flight"), (E03, "public_procurement_bid"), (E05, "green_channel"), (P08, "flight")]


def _serve(neo4j_conn, journal, port: int, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "graph_service.app:create_app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=dict(os.environ, NEO4J_URI=neo4j_conn.uri, NEO4J_USERNAME=neo4j_conn.username,
                 NEO4J_PASSWORD=neo4j_conn.password, NEO4J_DATABASE=neo4j_conn.database,
                 CREDIT_GRAPH_CHECK_JOURNAL_DIR=str(journal), CREDIT_GRAPH_WARM_UP_S="0",
                 CREDIT_GRAPH_API_KEY_CACHE_S="0", **env),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _ready(proc: subprocess.Popen, port: int, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the API did not become ready")


def _stored(driver, ids: list[str]) -> dict[str, int]:
    rows = driver.execute_query(query("testing/check_ids"), ids=ids).records
    return {r["check_id"]: r["copies"] for r in rows}


def test_answered_checks_survive_a_killed_worker(neo4j_driver, neo4j_conn, tmp_path):
    ensure_demo(neo4j_driver, neo4j_conn.database)
    key = make_key(neo4j_driver, "admin")
    journal = tmp_path / "journal"
    port = free_port()
    # The log would store nothing for an hour: every answered check is only in the worker (and
    # its journal) when it is killed.
    proc = _serve(neo4j_conn, journal, port, CREDIT_GRAPH_CHECK_LOG_FLUSH_S="3600")
    try:
        _ready(proc, port)

        async def ask() -> list[httpx.Response]:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=key, timeout=30) as ac:
                singles = [ac.post("/v1/checks", json={"subject_id": s, "action": a, "as_of": TODAY})
                           for _ in range(10) for s, a in ASKED]
                batch = ac.post("/v1/checks/batch", json={"queries": {
                    f"k{i}": {"subject_id": s, "action": a, "as_of": TODAY} for i, (s, a) in enumerate(ASKED)}})
                return await asyncio.gather(*singles, batch)

        answers = asyncio.run(ask())
        assert all(r.status_code == 200 for r in answers), [r.text for r in answers if r.status_code != 200]
        ids = [r.json()["check_id"] for r in answers[:-1]]
        ids += [v["result"]["check_id"] for v in answers[-1].json()["responses"].values()]
        assert len(set(ids)) == 44
        assert _stored(neo4j_driver, ids) == {}  # not in Neo4j yet: the point of the test
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL

    again = _serve(neo4j_conn, journal, port)
    try:
        _ready(again, port)  # ready once the journal is replayed
        assert _stored(neo4j_driver, ids) == {i: 1 for i in ids}
        assert list(journal.glob("*.jsonl")) == []  # replayed journals are removed
    finally:
        again.terminate()
        again.wait(30)


def _checks(n: int, prefix: str) -> list[dict]:
    return [{"check_id": f"{prefix}-{i}", "key_id": prefix, "role": "admin", "at": "2026-11-27T03:00:00+00:00",
             "subject_id": E01, "subject_kind": "enterprise", "action": "flight", "as_of": TODAY,
             "decision": "clear", "record_ids": [], "batch_id": None} for i in range(n)]


def test_concurrent_checks_share_an_fsync_and_stored_segments_are_removed(tmp_path):
    async def go():
        journal = CheckJournal(tmp_path)
        segments = await asyncio.gather(*(journal.append(_checks(1, f"c{i}")) for i in range(50)))
        assert journal.fsyncs < 50  # group commit: appends waiting on a running fsync share the next
        files = list(tmp_path.glob("*.jsonl"))
        assert len(files) == 1 and len(files[0].read_bytes().splitlines()) == 50
        journal.seal()
        for seg in segments:
            journal.stored(seg, 1)
        assert list(tmp_path.iterdir()) == []  # sealed and every check stored: removed
        journal.close()

    asyncio.run(go())


def test_a_failed_journal_write_fails_its_checks_and_the_next_go_to_a_new_segment(tmp_path, monkeypatch):
    from graph_service.checks import journal as check_journal

    real = check_journal._write_and_sync
    calls = []

    def fails_first(directory, writes):
        calls.append(len(writes))
        if len(calls) == 1:
            time.sleep(0.2)  # appends meanwhile queue behind it, for the same segment
            raise OSError(28, "No space left on device")
        real(directory, writes)

    monkeypatch.setattr(check_journal, "_write_and_sync", fails_first)

    async def go():
        journal = CheckJournal(tmp_path)
        first = asyncio.ensure_future(journal.append(_checks(1, "a")))
        await asyncio.sleep(0.05)
        queued = [asyncio.ensure_future(journal.append(_checks(1, f"b{i}"))) for i in range(3)]
        results = await asyncio.gather(first, *queued, return_exceptions=True)
        # Nothing is written after a line the failed write may have torn: all four fail (503).
        assert all(isinstance(r, check_journal.JournalUnavailable) for r in results), results
        seg = await journal.append(_checks(1, "c"))
        assert list(tmp_path.glob("*.jsonl")) == [seg.path]  # the failed segment answered none: gone
        assert seg.path.read_bytes().count(b"\n") == 1
        journal.close()

    asyncio.run(go())


def test_replay_skips_a_live_workers_journal_and_a_torn_last_line(tmp_path):
    async def go():
        live = CheckJournal(tmp_path)
        await live.append(_checks(2, "live"))
        dead = tmp_path / "999-dead-000000.jsonl"
        dead.write_bytes(b"".join(__import__("orjson").dumps(c) + b"\n" for c in _checks(3, "dead"))
                         + b'{"check_id": "torn')
        stored: list[dict] = []

        async def store(chunk):
            stored.extend(chunk)

        starting = CheckJournal(tmp_path)
        assert await starting.replay(store, batch=2) == 3
        assert [c["check_id"] for c in stored] == ["dead-0", "dead-1", "dead-2"]
        assert not dead.exists() and len(list(tmp_path.glob("*.jsonl"))) == 1  # the live one stays
        live.close()
        starting.close()

    asyncio.run(go())


@pytest.mark.parametrize("durability", ["journal", "memory"])
def test_the_durability_setting_chooses_the_log(tmp_path, durability):
    from graph_service.checks.log import check_log_of
    from graph_service.settings import ServiceSettings

    log = check_log_of(None, ServiceSettings(check_durability=durability, check_journal_dir=tmp_path))
    assert (log.journal is not None) == (durability == "journal")


def test_a_check_that_cannot_be_journalled_is_not_answered(neo4j_driver, neo4j_conn, tmp_path):
    from api_demo import demo_app
    from api_helpers import assert_error

    from graph_service.access import keys

    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    key_id, key = keys.create(neo4j_driver, "admin", None, "test journal")
    with demo_app(neo4j_driver, neo4j_conn, check_journal_dir=blocked / "journal") as c:
        r = c.post("/v1/checks", headers={"X-API-Key": key}, json={"subject_id": E01, "action": "flight"})
        assert_error(r, 503, "check_journal_unavailable")
        assert r.headers["Retry-After"] == "5"
        r = c.post("/v1/checks/batch", headers={"X-API-Key": key},
                   json={"queries": {"a": {"subject_id": E01, "action": "flight"}}})
        assert_error(r, 503, "check_journal_unavailable")
    assert neo4j_driver.execute_query(query("testing/checks_list"), key_id=key_id, limit=10).records == []
