"""The demo bundle (loaders/demo/README.md) behind the investigator API tests, loaded once for all
the modules using it: the graph is reloaded only when another module cleared or changed it.
Tests on it only add keys, audit entries and checks, or data of their own in a region of their own."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from api_helpers import client

from graph_service.cypher import query

DEMO_DIR = Path(__file__).resolve().parents[1] / "loaders" / "demo"
TODAY = "2026-11-26"  # the reference day of the demo stories

E01, E02, E03, E04, E05, E06 = ("91431002MA4L2HJ36R", "91431022MA4PK7R15E", "91431003MA4L0W6N7T",
                                "91431023MA4M3B8D8X", "91431026MA4N1T2G3A", "91430104MA4R5C0F16")
E08, E09, E10, E11, E15 = ("91440305MA5DX2N773", "91431081MA4PX3Y60F", "91430102MA4T7H2K1Y", "51431000MJ0D4K7A47",
                           "91431025MA4LD5G934")
H1, H2, H3, H4 = "91430104MA4R8D1B4F", "91431002MA4L3F7C3L", "91431081MA4P6G2E0L", "91431022MA4PC1H46M"
P01, P02, P03, P04, P05, P06, P07 = ("432801196804121350", "432822197909232117", "432821198311053171",
                                     "432801197502144260", "432825198007301535", "430121197212012484",
                                     "432801197703093711")
P08, P09, P10, P11 = "432821198606181955", "432821196510021173", "432801196201202397", "432823197408083519"
P12, P13, P14, P15 = "430121197005161735", "430104198501192918", "432802199009093282", "43282419880404415X"
P16, P17 = "440305199111111370", "H60218735"

DEMO_USCCS = [E01, E02, E03, E04, E05, E06, E08, E09, E10, E11, E15, H1, H2, H3, H4]


def demo_loaded(driver) -> bool:
    from loaders.bundle import open_bundle

    load_id = open_bundle(DEMO_DIR)[2]
    row = driver.execute_query(query("testing/demo_loaded"), usccs=DEMO_USCCS, load_id=load_id).records[0]
    records = sum(1 for _ in (DEMO_DIR / "records.csv").open(encoding="utf-8")) - 1
    # Other data may sit beside it (a module's own, in a region of its own), but not less of it, and
    # no record more: a test writing records (through the API) changes what the stories answer.
    return (row["enterprises"] == row["as_loaded"] == len(DEMO_USCCS) and row["liabilities"] > 0
            and row["all_enterprises"] >= 27
            and row["records"] == records)


def ensure_demo(driver, database: str) -> None:
    if demo_loaded(driver):
        return
    from loaders import load_bundle

    driver.execute_query(query("testing/clear_graph"), database_=database)
    result = load_bundle(driver, DEMO_DIR)
    assert not result.rejected, result


@contextlib.contextmanager
def demo_app(neo4j_driver, neo4j_conn, **overrides):
    """A client of the app on the demo graph (NEO4J_* pointing at the test Neo4j meanwhile)."""
    from graph_service import settings

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NEO4J_URI", neo4j_conn.uri)
        mp.setenv("NEO4J_USERNAME", neo4j_conn.username)
        mp.setenv("NEO4J_PASSWORD", neo4j_conn.password)
        mp.setenv("NEO4J_DATABASE", neo4j_conn.database)
        settings.neo4j_settings.cache_clear()
        ensure_demo(neo4j_driver, neo4j_conn.database)
        try:
            with client(**overrides) as c:
                yield c
        finally:
            settings.neo4j_settings.cache_clear()


# The demo app and an admin key, once per test module; a module that needs other settings
# defines its own `api` fixture (test_api_checks.py).
@pytest.fixture(scope="module")
def api(neo4j_driver, neo4j_conn):
    with demo_app(neo4j_driver, neo4j_conn) as c:
        yield c, neo4j_driver


@pytest.fixture(scope="module")
def admin(api):
    from api_helpers import make_key

    return make_key(api[1], "admin")
