"""The project's local Neo4j and the schema, against the real server."""

import os
import time

from graph_service import neo4j_local
from graph_service.cypher import query, statements
from graph_service.db import apply_schema


def test_schema_is_idempotent(graph, neo4j_conn):
    before = graph.execute_query(query("testing/count_constraints")).records[0]["n"]
    applied = apply_schema(graph, neo4j_conn.database)
    after = graph.execute_query(query("testing/count_constraints")).records[0]["n"]
    assert applied == len(statements("admin/schema")) + len(statements("admin/search_index"))
    assert before == after >= 10


def test_routing_uri_answers(neo4j_conn):
    from neo4j import GraphDatabase

    uri = neo4j_conn.uri.replace("bolt://", "neo4j://")
    with GraphDatabase.driver(uri, auth=(neo4j_conn.username, neo4j_conn.password)) as d:
        assert d.execute_query(query("admin/ping")).records[0]["ok"] == 1


def test_memory_plan_is_overridable(tmp_path):
    from graph_service.settings import LocalNeo4jSettings

    heap, pagecache = neo4j_local.memory_plan(LocalNeo4jSettings(cache_dir=tmp_path, heap="777m"))
    assert heap == "777m"
    assert pagecache.endswith("m") and int(pagecache[:-1]) >= 512


def test_a_class_archive_is_written_once_then_used(tmp_path):
    lib = tmp_path / "neo4j-5.26.11" / "lib"
    lib.mkdir(parents=True)
    flags, part = neo4j_local._cds_flags(lib, "server")
    assert part is not None and flags[0] == f"-XX:ArchiveClassesAtExit={part}"

    part.write_bytes(b"half")  # the JVM was killed while writing it: not kept
    neo4j_local._cds_written(part, clean_exit=False)
    assert not part.exists() and not (lib.parent / "cds" / "server.jsa").exists()

    orphan = lib.parent / "cds" / "server.0badc0de.part"  # a JVM that exited without `stop`
    orphan.write_bytes(b"?")
    neo4j_local._cds_flags(lib, "server")
    assert orphan.exists()  # it may be one still writing
    os.utime(orphan, (time.time() - neo4j_local.CDS_STALE_S - 1,) * 2)
    neo4j_local._cds_flags(lib, "server")
    assert not orphan.exists()

    flags, part = neo4j_local._cds_flags(lib, "server")
    part.write_bytes(b"archive")
    neo4j_local._cds_written(part, clean_exit=True)
    archive = lib.parent / "cds" / "server.jsa"
    assert archive.read_bytes() == b"archive" and not part.exists()
    flags, part = neo4j_local._cds_flags(lib, "server")
    assert part is None and flags[0] == f"-XX:SharedArchiveFile={archive}"
    assert neo4j_local._cds_flags(lib, "admin")[1] is not None  # one archive per kind of JVM
