"""Shared pieces of the benchmarks: the Neo4j they run against, machine facts, medians."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from pathlib import Path

import psutil

from graph_service import REPO_ROOT, neo4j_local
from graph_service.cypher import query
from graph_service.db import Connection, apply_schema, driver

OUT = REPO_ROOT / "bench" / "out"


def bench_connection() -> Connection:
    """NEO4J_URI if set, else the local instance 'bench' (started here, sized from the machine)."""
    if os.environ.get("NEO4J_URI"):
        return Connection(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USERNAME", "neo4j"),
                          os.environ.get("NEO4J_PASSWORD", ""), os.environ.get("NEO4J_DATABASE", "neo4j"))
    st = neo4j_local.start("bench", echo=lambda *a: None)
    return Connection(st.uri, st.username, st.password, "neo4j")


def fresh_instance(name: str) -> None:
    """A local instance with no data at all (load --initial needs an empty database): stopped, its
    data folder deleted, started again (a new system database; the stored password is set anew)."""
    import shutil

    st = neo4j_local.status(name)
    neo4j_local.stop(name)
    shutil.rmtree(st.home / "data", ignore_errors=True)
    neo4j_local.start(name, echo=lambda *a: None)


def reset_database(conn: Connection) -> None:
    with driver(conn) as drv:
        with drv.session(database=conn.database) as session:
            session.run(query("bench/clear_graph_batched")).consume()
        apply_schema(drv, conn.database)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return (f"{psutil.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, {java}")


def median(values):
    return statistics.median(values) if values else None


def env_for(conn: Connection) -> dict:
    env = dict(os.environ)
    env.update(NEO4J_URI=conn.uri, NEO4J_USERNAME=conn.username, NEO4J_PASSWORD=conn.password,
               NEO4J_DATABASE=conn.database)
    return env
