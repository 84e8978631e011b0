"""Test fixtures: a real Neo4j for every graph test, never a mock.

Order (issue 2): NEO4J_URI if set; else a testcontainers Neo4j when NEO4J_TEST_DOCKER=1 and a Docker
engine answers; else the project's local Neo4j (instance "test"), started once per test session.
When CI=true a session that cannot get a Neo4j fails; it never skips.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph_service import neo4j_local
from graph_service.cypher import query
from graph_service.db import Connection, apply_schema, driver

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _docker_connection():
    try:
        from testcontainers.neo4j import Neo4jContainer
    except ImportError:
        return None, None
    try:
        container = Neo4jContainer("neo4j:5.26-community")
        container.start()
    except Exception:
        return None, None
    return Connection(container.get_connection_url(), "neo4j", container.password, "neo4j"), container


def _obtain_connection():
    if os.environ.get("NEO4J_URI"):
        return Connection(
            os.environ["NEO4J_URI"], os.environ.get("NEO4J_USERNAME", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""), os.environ.get("NEO4J_DATABASE", "neo4j"),
        ), None
    if os.environ.get("NEO4J_TEST_DOCKER") == "1":
        conn, container = _docker_connection()
        if conn is not None:
            return conn, container
    import local_instance

    st = neo4j_local.start(local_instance.name(), settings=local_instance.settings(), echo=lambda *a: None)
    return Connection(st.uri, st.username, st.password, "neo4j"), None


@pytest.fixture(scope="session")
def neo4j_conn():
    try:
        conn, container = _obtain_connection()
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"no Neo4j for the test session: {exc}")
        pytest.skip(f"no Neo4j for the test session: {exc}")
    yield conn
    if container is not None:
        container.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_conn):
    drv = driver(neo4j_conn)
    drv.verify_connectivity()
    apply_schema(drv, neo4j_conn.database)
    yield drv
    drv.close()


@pytest.fixture
def graph(neo4j_driver, neo4j_conn, monkeypatch):
    """An empty graph with the schema applied; NEO4J_* point at it for code under test."""
    neo4j_driver.execute_query(query("testing/clear_graph"), database_=neo4j_conn.database)
    monkeypatch.setenv("NEO4J_URI", neo4j_conn.uri)
    monkeypatch.setenv("NEO4J_USERNAME", neo4j_conn.username)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_conn.password)
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_conn.database)
    from graph_service import settings

    settings.neo4j_settings.cache_clear()
    yield neo4j_driver
    settings.neo4j_settings.cache_clear()


@pytest.fixture(autouse=True)
def check_journal_dir(tmp_path_factory, monkeypatch) -> Path:
    """Each test's apps journal their checks in a directory of their own: a journal left by one
    test (Neo4j away at its end) must not be replayed into the graph of the next."""
    path = tmp_path_factory.mktemp("check-journal")
    monkeypatch.setenv("CREDIT_GRAPH_CHECK_JOURNAL_DIR", str(path))
    return path


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent (a user's clone has no ../shared)")
    return SHARED_DATA
