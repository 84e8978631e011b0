"""Neo4j drivers and the schema, shared by the CLI, the loaders and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j import AsyncGraphDatabase, GraphDatabase

from graph_service import neo4j_local
from graph_service.cypher import query, statements
from graph_service.errors import ServiceError
from graph_service.settings import Neo4jSettings, neo4j_settings


@dataclass(frozen=True)
class Connection:
    uri: str
    username: str
    password: str
    database: str


def native(value: Any) -> Any:
    """Neo4j temporal values → datetime ones, through nested maps and lists."""
    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime)):
        return value.to_native()
    if isinstance(value, dict):
        return {k: native(v) for k, v in value.items()}
    if isinstance(value, list):
        return [native(v) for v in value]
    return value


class NoNeo4j(ServiceError, RuntimeError):
    pass


def connection(settings: Neo4jSettings | None = None, instance: str = "default") -> Connection:
    """NEO4J_* settings if NEO4J_URI is set; otherwise the running local instance."""
    s = settings or neo4j_settings()
    if s.uri:
        password = s.password.get_secret_value() if s.password else ""
        return Connection(s.uri, s.username, password, s.database)
    st = neo4j_local.status(instance)
    if not st.running or not st.uri:
        raise NoNeo4j(
            "NEO4J_URI is not set and the local Neo4j is not running: "
            "run `credit-graph neo4j start` or set NEO4J_URI/NEO4J_PASSWORD"
        )
    return Connection(st.uri, st.username, st.password or "", s.database)


def driver(conn: Connection | None = None, **config) -> neo4j.Driver:
    c = conn or connection()
    config.setdefault("connection_timeout", neo4j_settings().connection_timeout_s)
    # Statements read property keys and relationship types that an empty or young graph lacks;
    # the server's "does not exist" notices about them are noise, not faults.
    config.setdefault("notifications_min_severity", "OFF")
    return GraphDatabase.driver(c.uri, auth=(c.username, c.password), **config)


def async_driver(conn: Connection | None = None, **config) -> neo4j.AsyncDriver:
    """`config`: further driver settings (the API shortens the retry time so an outage answers 503 fast)."""
    c = conn or connection()
    config.setdefault("connection_timeout", neo4j_settings().connection_timeout_s)
    return AsyncGraphDatabase.driver(c.uri, auth=(c.username, c.password), **config)


def _create_all(tx, stmts: list[str]) -> None:
    for stmt in stmts:
        tx.run(stmt).consume()


async def _create_all_async(tx, stmts: list[str]) -> None:
    for stmt in stmts:
        await (await tx.run(stmt)).consume()


def apply_schema(drv: neo4j.Driver, database: str | None = None, index_timeout_s: float = 300,
                 search_index: bool = True) -> int:
    """Create constraints and indexes (idempotent: every statement says IF NOT EXISTS) and wait,
    at most `index_timeout_s`, until they are online. `search_index`: also the full-text index of
    names (`apply_search_index`; `load --initial` times it as a stage of its own).

    All in one transaction: the server then fills the new indexes of a label in one scan of its
    nodes."""
    db = database or neo4j_settings().database
    stmts = list(statements("admin/schema")) + (list(statements("admin/search_index")) if search_index else [])
    with drv.session(database=db) as session:
        session.execute_write(_create_all, stmts)
    drv.execute_query(query("admin/await_indexes"), timeout_s=index_timeout_s, database_=db)
    return len(stmts)


def apply_search_index(drv: neo4j.Driver, database: str | None = None, index_timeout_s: float = 300) -> None:
    """Create the full-text index of names (cypher/admin/search_index.cypher) and wait until it is online."""
    db = database or neo4j_settings().database
    with drv.session(database=db) as session:
        session.execute_write(_create_all, list(statements("admin/search_index")))
    drv.execute_query(query("admin/await_indexes"), timeout_s=index_timeout_s, database_=db)


async def apply_schema_async(drv: neo4j.AsyncDriver, database: str | None = None) -> int:
    db = database or neo4j_settings().database
    stmts = list(statements("admin/schema")) + list(statements("admin/search_index"))
    async with drv.session(database=db) as session:
        await session.execute_write(_create_all_async, stmts)
    await drv.execute_query(query("admin/await_indexes"), timeout_s=300, database_=db)
    return len(stmts)
