"""`load --initial` (neo4j-admin database import into an empty local instance) against real Neo4j
servers: it gives the same graph as the transactional loader, refuses a database with data, leaves
the database untouched when the import fails, and finishes a load that stopped after its import.

The import needs an instance of its own (it stops and restarts the server): `<test instance>-initial`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from loader_bundles import dump_graph, graph_nodes
from typer.testing import CliRunner

import loaders.bundle.forked_files as forked_files
import loaders.initial.load as initial_module
from graph_service import neo4j_local, propagation
from graph_service import settings as settings_module
from graph_service.cli import app
from graph_service.cypher import query
from graph_service.db import Connection, driver
from graph_service.settings import LocalNeo4jSettings
from loaders import LoadFailed, load_bundle
from loaders.initial import NotEmpty, initial_import

DEMO = Path(__file__).resolve().parents[1] / "loaders" / "demo"
OLD_CITY = "432801198001010015"  # domain.md 7.2: the pre-1994 code of old Chenzhou city
# When a fact or a notification was written differs between two loads; what was written may not.
WRITTEN_AT = ("src_at", "created_at")
SMALL = dict(heap=os.environ.get("CREDIT_GRAPH_TEST_HEAP", "1g"),
             pagecache=os.environ.get("CREDIT_GRAPH_TEST_PAGECACHE", "256m"))


@pytest.fixture(scope="module")
def instance():
    name = os.environ.get("CREDIT_GRAPH_TEST_INSTANCE", "test") + "-initial"
    settings = LocalNeo4jSettings(**SMALL)
    neo4j_local.start(name, settings=settings, echo=lambda *a: None)
    yield name, settings
    neo4j_local.stop(name, settings)


def _driver(name: str, settings):
    st = neo4j_local.status(name, settings)
    return driver(Connection(st.uri, st.username, st.password or "", "neo4j"))


@pytest.fixture
def empty(instance):
    """The import instance, emptied (Community has one database: clearing it is the reset)."""
    name, settings = instance
    with _driver(name, settings) as drv:
        drv.execute_query(query("testing/clear_graph"))
    return name, settings


def _bundle(tmp_path: Path) -> Path:
    """The demo bundle plus rows an import cannot take as they are: an enterprise repeated with
    another name (held back, written as an update), a line break inside an address (multi-line
    side file), an extra region from regions.csv, and a rejected row. shareholdings.csv and
    records.csv, checked in a forked process (loaders.bundle.forked_files), get the same kinds of rows: a
    rejected holding, a record repeated with another basis, a record with a line break, one with a
    comma and quotes."""
    folder = tmp_path / "bundle"
    shutil.copytree(DEMO, folder, ignore=shutil.ignore_patterns("README.md"))
    with (folder / "enterprises.csv").open("a", encoding="utf-8") as fh:
        fh.write("91431002MA4L2HJ36R,郴州市恒基建材集团有限公司,enterprise,431002,active,2012-03-01,5000.00,3021,\n")
        fh.write('91431002MA4L2HJ36R,郴州市恒基建材集团有限公司,enterprise,431099,active,2012-03-01,5000.00,3021,'
                 '"湖南省郴州市\n高新区一号"\n')
        fh.write("91431002MA4L2HJ37R,bad check character,enterprise,431002,active,,,,\n")
    with (folder / "shareholdings.csv").open("a", encoding="utf-8") as fh:
        fh.write("432801196804121350,person,91431002MA4L2HJ36R,1.5,,2013-01-01,\n")
    # A person under a retired code (old Chenzhou city 432801): linked to 431000, and so reached.
    with (folder / "persons.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{OLD_CITY},resident_id,老郴州,\n")
    with (folder / "records.csv").open("a", encoding="utf-8") as fh:
        fh.write("HN431000-2026-P0901,enterprise,91431081MA4PX3Y60F,penalty,超标排放污染物,general,郴州市生态环境局,"
                 '431000,郴环罚〔2026〕91号,2026-06-02,2026-07-15,2026-07-20,,"《中华人民共和国大气污染防治法》\n第九十九条",\n')
        fh.write(f"HN431000-2026-B0902,person,{OLD_CITY},black,defy_judicial_admin,serious,郴州市中级人民法院,"
                 "431000,(2026)湘10执1号,2026-05-01,2026-06-01,2026-06-02,2029-06-01,,\n")
        # A comma and quotes in a value: the import file must quote that cell (the other rows are
        # written joined as they are).
        fh.write("HN431000-2026-P0903,enterprise,91431081MA4PX3Y60F,penalty,超标排放污染物,general,郴州市生态环境局,"
                 '431000,郴环罚〔2026〕93号,2026-06-04,2026-07-17,2026-07-22,,'
                 '"《中华人民共和国大气污染防治法》第一百条, ""从重""",\n')
        for basis in ("第一百零八条", "第一百零九条"):  # the second row repeats the record with another basis
            fh.write("HN431000-2026-P0902,enterprise,91431081MA4PX3Y60F,penalty,超标排放污染物,general,郴州市生态环境局,"
                     f"431000,郴环罚〔2026〕92号,2026-06-03,2026-07-16,2026-07-21,,《中华人民共和国大气污染防治法》{basis},\n")
    (folder / "regions.csv").write_text("code,name,parent_code,level\n431099,郴州高新区,431000,county\n",
                                        encoding="utf-8")
    return folder


def test_initial_import_gives_the_graph_of_the_transactional_loader(graph, empty, tmp_path, monkeypatch):
    name, settings = empty
    # Half of roles.csv is checked by the forked process (a demo-sized bundle gives it none).
    monkeypatch.setattr(forked_files, "share", lambda *a: 0.5)
    bundle = _bundle(tmp_path)
    expected = load_bundle(graph, bundle)
    propagation.propagate_all(graph)
    want = dump_graph(graph, ignore=WRITTEN_AT)

    lines: list[str] = []
    got = initial_import(bundle, instance=name, settings=settings, stage=lines.append)

    assert got.status == "done" and got.written
    assert [str(i) for i in got.rejections] == [str(i) for i in expected.rejections]
    assert [(i.file, i.column) for i in got.rejections] == [("enterprises.csv", "uscc"), ("shareholdings.csv", "ratio")]
    assert [str(i) for i in got.warnings] == [str(i) for i in expected.warnings]
    assert any(i.file == "records.csv" and "more than once" in i.reason for i in got.warnings)
    assert {f: (c.read, c.loaded, c.rejected) for f, c in got.files.items()} == \
        {f: (c.read, c.loaded, c.rejected) for f, c in expected.files.items()}
    assert any("repeat a key" in line for line in lines)  # the repeated enterprise went the update way
    assert {"validate", "derive", "import", "swap", "schema", "search index"} <= set(got.stages)
    with _driver(name, settings) as drv:
        have = dump_graph(drv, ignore=WRITTEN_AT)
        loads, _, _ = drv.execute_query(query("testing/loads"))
        repeated = graph_nodes(drv, "Enterprise")["91431002MA4L2HJ36R"]
        records = graph_nodes(drv, "Record")
        registered = drv.execute_query(query("testing/registered_in"), ids=[OLD_CITY]).records
        reach = drv.execute_query(query("testing/dump_derived")).records[0]["reach"]
    assert [(r["region_code"], r["code"]) for r in registered] == [("432801", "431000")]
    assert {code for r, code, _ in reach if r == "HN431000-2026-B0902"} == {"431000", "430000"}
    assert [(r["id"], r["mode"], r["status"]) for r in loads] == [(got.load_id, "initial", "done")]
    assert have == want
    # The reporting department (the demo's manifest.json) is on the Load node and on every fact
    # the import wrote, the repeated keys' updates included, as the transactional load wrote it.
    assert got.department == expected.department == "郴州市发展和改革委员会"
    assert [r["department"] for r in loads] == [got.department]
    sourced = [props for _, props in have[0] if dict(props).get("src_load")] + \
        [props for *_, props in have[1] if dict(props).get("src_load")]
    assert sourced and {dict(p).get("src_department") for p in sourced} == {repr(got.department)}
    assert repeated["address"] == "湖南省郴州市\n高新区一号" and repeated["region_code"] == "431099"
    # A bundle repeating a row renames nothing: the last row's name and its keys, no former name
    # (as the transactional load, which writes only the last row: compared above).
    assert repeated["name"] == "郴州市恒基建材集团有限公司" and repeated["search_keys"][-1] == "恒基建材"
    assert "former_names" not in repeated
    assert records["HN431000-2026-P0902"]["legal_basis"].endswith("第一百零九条")  # the repeat updated it
    assert records["HN431000-2026-P0901"]["legal_basis"] == "《中华人民共和国大气污染防治法》\n第九十九条"
    assert records["HN431000-2026-P0903"]["legal_basis"] == '《中华人民共和国大气污染防治法》第一百条, "从重"'


def test_a_database_with_data_is_refused_and_kept(empty, tmp_path):
    name, settings = empty
    bundle = _bundle(tmp_path)
    with _driver(name, settings) as drv:
        load_bundle(drv, bundle, database="neo4j")
        before = dump_graph(drv, ignore=WRITTEN_AT)
    with pytest.raises(NotEmpty, match="not empty"):
        initial_import(DEMO, instance=name, settings=settings)
    with _driver(name, settings) as drv:
        assert dump_graph(drv, ignore=WRITTEN_AT) == before


def _cli_env(monkeypatch, **extra: str) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("CREDIT_GRAPH_HEAP", SMALL["heap"])
    monkeypatch.setenv("CREDIT_GRAPH_PAGECACHE", SMALL["pagecache"])
    for k, v in extra.items():
        monkeypatch.setenv(k, v)
    settings_module.neo4j_settings.cache_clear()
    settings_module.local_neo4j_settings.cache_clear()


def test_a_failed_import_leaves_the_database_empty_and_a_rerun_loads(empty, tmp_path, monkeypatch):
    name, settings = empty
    _cli_env(monkeypatch, CREDIT_GRAPH_IMPORT_HEAP="1k")  # the tool's JVM cannot start
    failed = CliRunner().invoke(app, ["load", str(DEMO), "--initial", "--instance", name])
    assert failed.exit_code == 2 and "the database was not touched" in failed.output, failed.output
    with _driver(name, settings) as drv:
        state = drv.execute_query(query("loading/initial_state")).records[0]
        assert state["others"] == 0

    _cli_env(monkeypatch, CREDIT_GRAPH_IMPORT_HEAP="1g")
    ok = CliRunner().invoke(app, ["load", str(DEMO), "--initial", "--instance", name])
    assert ok.exit_code == 0, ok.output
    assert "(1/4) Node import" in ok.output and "stages: validate" in ok.output
    with _driver(name, settings) as drv:
        assert len(graph_nodes(drv, "Enterprise")) == 27


def test_initial_refuses_a_server_it_does_not_run(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "neo4j://example.invalid:7687")
    settings_module.neo4j_settings.cache_clear()
    try:
        out = CliRunner().invoke(app, ["load", str(DEMO), "--initial"])
    finally:
        settings_module.neo4j_settings.cache_clear()
    assert out.exit_code == 2 and "NEO4J_URI is set" in out.output


def test_strict_with_a_bad_row_imports_nothing(empty, tmp_path):
    name, settings = empty
    result = initial_import(_bundle(tmp_path), instance=name, settings=settings, strict=True)
    assert not result.written and result.rejected == 2 and "import" not in result.stages
    with _driver(name, settings) as drv:
        assert drv.execute_query(query("loading/initial_state")).records[0]["others"] == 0


def test_a_load_stopped_after_its_import_is_finished_by_a_rerun(graph, empty, tmp_path, monkeypatch):
    name, settings = empty
    bundle = _bundle(tmp_path)
    load_bundle(graph, bundle)
    propagation.propagate_all(graph)
    want = dump_graph(graph, ignore=WRITTEN_AT)

    real = initial_module.apply_schema

    def crash(*args, **kwargs):
        raise RuntimeError("killed while the indexes populate")

    monkeypatch.setattr(initial_module, "apply_schema", crash)
    with pytest.raises(LoadFailed, match="after its import"):
        initial_import(bundle, instance=name, settings=settings)
    with _driver(name, settings) as drv:
        loads, _, _ = drv.execute_query(query("testing/loads"))
        assert [(r["mode"], r["status"]) for r in loads] == [("initial", "failed")]

    monkeypatch.setattr(initial_module, "apply_schema", real)
    lines: list[str] = []
    result = initial_import(bundle, instance=name, settings=settings, stage=lines.append)
    assert result.status == "done" and any("finishing it" in line for line in lines)
    with _driver(name, settings) as drv:
        assert dump_graph(drv, ignore=WRITTEN_AT) == want
