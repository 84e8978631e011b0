"""Neo4j killed (SIGKILL of its JVM) in the middle of a transactional `credit-graph load`, started
again, and the load run again: the graph is the one a clean load of the same bundle gives, every
keyed node and relationship with all its properties (issue 15, "a fault test").

The test stops the session's own instance (CREDIT_GRAPH_TEST_INSTANCE) and starts it again on the
same port before it ends, Bolt answering, so the tests after it run on as before."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import local_instance
import psutil
import pytest

from bench.generate import generate_bundle
from graph_service import neo4j_local
from graph_service.cypher import query
from loaders import load_bundle

KEYS = ["uscc", "person_id", "code", "authority_id", "record_id", "liability_id", "notification_id",
        "objection_id", "event_id"]
# Times of writing differ between two loads by nature; everything else must be equal.
WRITE_TIMES = ("src_at", "created_at")

_PAUSED_LOAD = """
import sys, time
from pathlib import Path

import graph_service.cli.load_cmd as load_cmd
from graph_service.cli import app
from graph_service.propagation import writes as writer
from loaders import write_queue

folder, marks = sys.argv[1], Path(sys.argv[2])
real = writer.WRITERS["roles.csv"]
calls = []

def paused_on_second_batch(tx, rows, prov, columns):
    calls.append(1)
    stats = real(tx, rows, prov, columns)
    if len(calls) == 2:  # its rows written in the open transaction: the test kills Neo4j now
        (marks / "paused").touch()
        deadline = time.monotonic() + 60
        while not (marks / "killed").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return stats

writer.WRITERS["roles.csv"] = paused_on_second_batch
# The loader retries a batch for about 20 s, long enough for Neo4j to come back: here it stops
# at the first failure, so that the run again resumes a load that stopped half way.
write_queue.RETRIES = 1
# Nor does the driver retry the load's own bookkeeping for 30 s.
real_driver = load_cmd.driver
load_cmd.driver = lambda: real_driver(max_transaction_retry_time=1)
app(["load", folder, "--batch-size", "100"])
"""


def fingerprint(driver) -> tuple[str, list[str]]:
    """A SHA-256 of every keyed node and relationship (cypher/testing/fingerprint) and their lines."""
    rows = driver.execute_query(query("testing/fingerprint"), keys=KEYS).records
    lines = []
    for r in rows:
        props = {k: v for k, v in r["props"].items() if k not in WRITE_TIMES}
        line = [r["kind"], r["src"], r["dst"], r["type"], sorted(r["labels"]), props]
        lines.append(json.dumps(line, sort_keys=True, default=str, ensure_ascii=False))
    # Sorted again here: rows the statement cannot tell apart by their keys (several
    # relationships of a type between two nodes) come in any order.
    lines.sort()
    return hashlib.sha256("\n".join(lines).encode()).hexdigest(), lines


def _differences(got: list[str], expected: list[str]) -> str:
    a, b = set(got), set(expected)
    return f"only after the kill: {sorted(a - b)[:5]}\nonly in the clean load: {sorted(b - a)[:5]}"


def _cli_env(conn) -> dict[str, str]:
    return dict(os.environ, NEO4J_URI=conn.uri, NEO4J_USERNAME=conn.username, NEO4J_PASSWORD=conn.password,
                NEO4J_DATABASE=conn.database)


def _wait_for(path, proc: subprocess.Popen, output, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not path.exists():
        assert proc.poll() is None, f"the load ended before it paused:\n{output.read_text()[-3000:]}"
        assert time.monotonic() < deadline, "the load did not reach its second batch of roles"
        time.sleep(0.05)


def test_a_load_run_again_after_neo4j_was_killed_gives_the_clean_graph(graph, neo4j_conn, tmp_path):
    name, small = local_instance.name(), local_instance.settings()
    st = neo4j_local.status(name, small)
    if not st.running or st.uri is None or st.uri.rsplit(":", 1)[1] != neo4j_conn.uri.rsplit(":", 1)[1]:
        pytest.skip("the session's Neo4j is not the project's local test instance: it cannot be killed here")
    folder = tmp_path / "bundle"
    generate_bundle(folder, 300, 3)  # 2,713 rows: 17 batches of roles at 100 a batch

    clean = load_bundle(graph, folder, batch_size=100)
    assert clean.rejected == 0
    expected, expected_lines = fingerprint(graph)
    assert len(expected_lines) > 2500
    graph.execute_query(query("testing/clear_graph"))

    marks = tmp_path / "marks"
    marks.mkdir()
    killed = False
    # Its output to a file: the progress bars would fill a pipe nobody reads while it runs.
    output = tmp_path / "load.out"
    with output.open("w") as out:
        loader = subprocess.Popen([sys.executable, "-c", _PAUSED_LOAD, str(folder), str(marks)],
                                  env=_cli_env(neo4j_conn), stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for(marks / "paused", loader, output, 90)
        java = psutil.Process(st.pid)
        os.kill(st.pid, signal.SIGKILL)
        java.wait(30)
        killed = True
        (marks / "killed").touch()
        loader.wait(60)
        err = " ".join(output.read_text().split())  # the console may wrap its lines
        assert loader.returncode == 2, err[-3000:]  # stopped half way
        assert "run the same bundle again to resume" in err, err[-3000:]
    finally:
        if loader.poll() is None:
            loader.kill()
            loader.wait()
        if killed or not neo4j_local.status(name, small).running:
            again = neo4j_local.start(name, settings=small, echo=lambda *a: None)  # waits until Bolt answers
            assert again.uri == st.uri  # the same port: the session's driver reconnects to it
    graph.verify_connectivity()
    partial = fingerprint(graph)[1]
    assert 0 < len(partial) < len(expected_lines)  # what committed before the kill survived, not the rest

    rerun = subprocess.run([sys.executable, "-c", "from graph_service.cli import app; app()", "load", str(folder),
                            "--batch-size", "100"], env=_cli_env(neo4j_conn), capture_output=True, text=True,
                           timeout=120)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    got, got_lines = fingerprint(graph)
    assert got == expected, _differences(got_lines, expected_lines)
    status = graph.execute_query(query("testing/load_status"), load_id=clean.load_id).records[0]
    assert (status["status"], status["runs"]) == ("done", 2)
