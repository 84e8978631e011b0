"""The search keys on the graph (issue 17 points 1 and 4): written by every load, backfilled on a
graph loaded before they existed, the full-text index they feed, and former names kept when a
later bundle renames an enterprise. That load --initial writes the same keys as the transactional
loader is tests/test_initial_import.py (the two graphs are compared property by property)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from api_helpers import BEIHU_CO, WANG, loaded_app, make_key, write_bundle
from typer.testing import CliRunner

from graph_service.cli import app as cli
from graph_service.cypher import CYPHER_DIR, query
from graph_service.domain.names import enterprise_keys
from graph_service.facts.search_keys import CHINA, backfill
from loaders import load_bundle

OLD, NEW, NEWER = "郴州北湖建材有限公司", "郴州北湖新材料科技有限公司", "湖南北湖控股集团有限公司"


def _search_props(driver) -> dict[str, dict]:
    return {r["id"]: r["props"] for r in driver.execute_query(query("testing/search_props")).records}


def _renamed(folder, name: str):
    """The small bundle (tests/api_helpers.py) with BEIHU_CO under another name: a later bundle."""
    write_bundle(folder)
    path = folder / "enterprises.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(OLD, name), encoding="utf-8")
    for other in ("roles.csv", "shareholdings.csv", "records.csv"):
        (folder / other).unlink()
    return folder


def test_the_index_is_online_with_the_cjk_analyser_and_read_by_the_search(neo4j_driver):
    found = {r["name"]: r for r in neo4j_driver.execute_query(query("testing/fulltext_indexes")).records}
    index = found["subject_names"]
    assert index["state"] == "ONLINE" and index["analyzer"] == "cjk"
    assert sorted(index["labels"]) == ["Enterprise", "Person"]
    assert set(index["properties"]) == {"name", "former_names", "search_keys", "pinyin_keys"}
    assert "'subject_names'" in (CYPHER_DIR / "search" / "names.cypher").read_text(encoding="utf-8")


def test_a_load_writes_the_keys_and_a_graph_without_them_is_backfilled(graph, tmp_path):
    write_bundle(tmp_path / "b")
    assert not load_bundle(graph, tmp_path / "b").rejected
    loaded = _search_props(graph)
    assert loaded[BEIHU_CO]["search_keys"] == ["郴州北湖建材有限公司", "建材"]
    assert loaded[BEIHU_CO]["former_names"] is None and loaded[BEIHU_CO]["name_load"].startswith("load-")
    assert loaded[WANG]["search_keys"] == ["王建国"] and "wangjianguo" in loaded[WANG]["pinyin_keys"]
    assert all(p["search_keys"] for p in loaded.values())

    graph.execute_query(query("testing/drop_search_keys"))
    assert all(p["search_keys"] is None for p in _search_props(graph).values())
    # Two subjects per transaction: the batches follow each other by id.
    written = backfill(graph, batch_size=2)
    assert written == {"enterprise": 3, "person": 3}
    assert _search_props(graph) == loaded  # the day a name was recorded: that of the node's last write
    assert backfill(graph, batch_size=2) == {"enterprise": 0, "person": 0}  # idempotent

    graph.execute_query(query("testing/drop_search_keys"))
    out = CliRunner().invoke(cli, ["search", "reindex"])
    assert out.exit_code == 0, out.output
    assert "3 enterprises, 3 persons" in out.output
    assert _search_props(graph) == loaded
    # --all recomputes every subject's keys, to the same values.
    out = CliRunner().invoke(cli, ["search", "reindex", "--all"])
    assert "3 enterprises, 3 persons" in out.output and _search_props(graph) == loaded


@pytest.fixture(scope="module")
def renamed(neo4j_driver, neo4j_conn, tmp_path_factory):
    """The small bundle, then a later bundle renaming BEIHU_CO, then another renaming it again."""
    with loaded_app(neo4j_driver, neo4j_conn, tmp_path_factory.mktemp("first")) as c:
        for name in (NEW, NEWER):
            folder = _renamed(tmp_path_factory.mktemp("later"), name)
            result = load_bundle(neo4j_driver, folder)
            assert not result.rejected
            shutil.rmtree(folder)
        yield c, {"admin": make_key(neo4j_driver, "admin"), "public": make_key(neo4j_driver, "public")}


def test_a_rename_by_a_later_bundle_keeps_the_earlier_names_in_the_facts(renamed, neo4j_driver):
    c, k = renamed
    today = dt.datetime.now(CHINA).date().isoformat()
    facts = c.get(f"/v1/enterprises/{BEIHU_CO}", headers=k["public"]).json()
    assert facts["name"] == NEWER and facts["name_since"] == today
    assert facts["former_names"] == [{"name": OLD, "since": today, "until": today},
                                     {"name": NEW, "since": today, "until": today}]
    stored = _search_props(neo4j_driver)[BEIHU_CO]
    # The current name's keys first, then the former names', latest first.
    assert stored["search_keys"] == enterprise_keys([NEWER, NEW, OLD])
    assert stored["search_keys"][:2] == [NEWER, "控股"]


@pytest.mark.parametrize(("text", "field", "match"), [
    (NEWER, "name", "exact"), (NEW, "former_names", "exact"), ("北湖建材有限公司", "former_names", "core"),
    ("北湖新材料", "former_names", "prefix"),
])
def test_former_names_are_searchable(renamed, text, field, match):
    c, k = renamed
    r = c.get("/v1/search", params={"q": text}, headers=k["admin"])
    first = r.json()["items"][0]
    assert (first["id"], first["matched_field"], first["match"]) == (BEIHU_CO, field, match), r.json()
    assert first["former_names"] == [OLD, NEW]
    if field == "former_names":
        assert "former name" in first["why"] and "until" in first["why"]


def test_a_reload_of_a_bundle_keeps_the_history(renamed, neo4j_driver, tmp_path):
    before = _search_props(neo4j_driver)[BEIHU_CO]
    folder = _renamed(tmp_path / "again", NEWER)
    assert not load_bundle(neo4j_driver, folder).rejected
    assert _search_props(neo4j_driver)[BEIHU_CO] == before


@pytest.mark.parametrize("text", ["wang jianguo", "Wang Jianguo", "王建國", "王 建 国"])
def test_wang_jianguo_is_found_by_pinyin_and_traditional_characters(renamed, text):
    c, k = renamed
    first = c.get("/v1/search", params={"q": text}, headers=k["admin"]).json()["items"][0]
    assert (first["id"], first["name"], first["masked"]) == (WANG, "王建国", False)
    assert first["match"] == ("pinyin" if text.isascii() else "exact")
    masked = c.get("/v1/search", params={"q": text}, headers=k["public"]).json()["items"][0]
    assert (masked["name"], masked["masked"]) == ("王*国", True)
