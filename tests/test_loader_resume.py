"""A load that stops half way (an error inside a batch, or the process killed) and is run again
ends with the same graph as one uninterrupted load: no duplicates, nothing missing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from loader_bundles import E, base_files, dump_graph, graph_nodes, graph_rels, write_bundle

from graph_service.cypher import query
from graph_service.propagation import writes as loader_writer
from loaders import LoadFailed, load_bundle

# Times of writing differ between two runs by nature: when a fact (src_at) or a derived
# notification (created_at) was written. Everything else must be equal.
WRITE_TIMES = ("src_at", "created_at")


def _uninterrupted(graph, folder):
    load_bundle(graph, folder, batch_size=2)
    expected = dump_graph(graph, ignore=WRITE_TIMES)
    graph.execute_query(query("testing/clear_graph"))
    return expected


def _load_status(graph, load_id):
    records, _, _ = graph.execute_query(query("testing/load_status"), load_id=load_id)
    return records[0]["status"], records[0]["runs"]


def test_resume_after_an_error_inside_a_batch(graph, tmp_path, monkeypatch):
    folder = write_bundle(tmp_path, **base_files())
    expected = _uninterrupted(graph, folder)

    real = loader_writer.WRITERS["roles.csv"]
    calls = []

    def fails_on_second_batch(tx, rows, prov, columns):
        calls.append(len(rows))
        stats = real(tx, rows, prov, columns)  # the batch is written, then the transaction fails
        if len(calls) == 2:
            raise RuntimeError("connection lost")
        return stats

    monkeypatch.setitem(loader_writer.WRITERS, "roles.csv", fails_on_second_batch)
    with pytest.raises(LoadFailed) as failed:
        load_bundle(graph, folder, batch_size=2, writers=1)  # one writer: batches in file order
    assert "run the same bundle again to resume" in str(failed.value)
    load_id = failed.value.result.load_id
    assert _load_status(graph, load_id) == ("failed", 1)
    assert len(graph_rels(graph, "HOLDS_ROLE")) == 2  # the first batch only: the second rolled back
    assert graph_rels(graph, "HOLDS_SHARES") == []

    monkeypatch.undo()
    resumed = load_bundle(graph, folder, batch_size=2)
    assert resumed.rejections == [] and resumed.load_id == load_id
    assert resumed.files["roles.csv"].changed == 3  # the two rows of batch 1 were already there
    got = dump_graph(graph, ignore=WRITE_TIMES)
    assert got == expected, _diff(got, expected)
    assert _load_status(graph, load_id) == ("done", 2)


def test_a_batch_too_large_for_the_server_is_split(graph, tmp_path, monkeypatch):
    import neo4j.exceptions

    real = loader_writer.WRITERS["records.csv"]
    sizes = []

    def server_refuses_more_than_one(tx, rows, prov, columns):
        sizes.append(len(rows))
        if len(rows) > 1:  # as the server does when the transaction memory pool is exhausted
            raise neo4j.exceptions.Neo4jError._hydrate_neo4j(
                code="Neo.TransientError.General.MemoryPoolOutOfMemoryError", message="too large")
        return real(tx, rows, prov, columns)

    monkeypatch.setitem(loader_writer.WRITERS, "records.csv", server_refuses_more_than_one)
    files = base_files()
    files["records"] += "".join(f"CZ-2024-{i:03d},enterprise,{E[3]},penalty,x,,郴州市税务局,431000,,,2024-01-0{i},,,,\n"
                                for i in range(1, 5))
    result = load_bundle(graph, write_bundle(tmp_path, **files), batch_size=4)
    assert result.rejections == [] and result.files["records.csv"].loaded == 7
    assert sizes == [4, 2, 1, 1, 2, 1, 1, 1, 1, 1]  # halves, then the second batch cut to one row
    assert len(graph_nodes(graph, "Record")) == 7


_KILLED_LOAD = """
import os, signal, sys
from graph_service.db import driver
from graph_service.propagation import writes as writer
from loaders import load_bundle

real = writer.WRITERS["shareholdings.csv"]
calls = []

def killed_on_second_batch(tx, rows, prov, columns):
    calls.append(1)
    stats = real(tx, rows, prov, columns)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)  # inside the open transaction
    return stats

writer.WRITERS["shareholdings.csv"] = killed_on_second_batch
load_bundle(driver(), sys.argv[1], batch_size=2)
"""


def test_resume_after_the_process_is_killed(graph, tmp_path):
    folder = write_bundle(tmp_path, **base_files())
    expected = _uninterrupted(graph, folder)

    proc = subprocess.run([sys.executable, "-c", _KILLED_LOAD, str(folder)], env=dict(os.environ),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert len(graph_rels(graph, "HOLDS_SHARES")) == 2  # one batch committed, one lost with the process
    assert len(graph_rels(graph, "HOLDS_ROLE")) == 5

    resumed = load_bundle(graph, folder, batch_size=3)
    assert resumed.rejections == []
    assert resumed.files["shareholdings.csv"].changed == 3
    got = dump_graph(graph, ignore=WRITE_TIMES)
    assert got == expected, _diff(got, expected)
    assert _load_status(graph, resumed.load_id) == ("done", 2)


def _diff(a, b):
    return [x for x in a[0] if x not in b[0]][:3], [x for x in b[0] if x not in a[0]][:3], \
        [x for x in a[1] if x not in b[1]][:3], [x for x in b[1] if x not in a[1]][:3]
