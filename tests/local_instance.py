"""The local Neo4j instance a test session runs on (conftest.py) and its settings, for the tests
that stop and restart it (test_load_neo4j_killed.py)."""

from __future__ import annotations

import os

from graph_service.settings import LocalNeo4jSettings


def name() -> str:
    return os.environ.get("CREDIT_GRAPH_TEST_INSTANCE", "test")


def settings() -> LocalNeo4jSettings:
    # Small on purpose: several test instances (one per CREDIT_GRAPH_TEST_INSTANCE) may run at once.
    return LocalNeo4jSettings(heap=os.environ.get("CREDIT_GRAPH_TEST_HEAP", "1g"),
                              pagecache=os.environ.get("CREDIT_GRAPH_TEST_PAGECACHE", "256m"))
