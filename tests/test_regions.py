"""The GB/T 2260 region table and its Region nodes in a real Neo4j."""

from __future__ import annotations

import csv

import pytest

from graph_service.cypher import query
from graph_service.regions import (
    REGIONS_CSV,
    RegionRowError,
    ensure_regions,
    region_table,
)

CHENZHOU_CHILDREN = {"431001", "431002", "431003", "431021", "431022", "431023", "431024",
                     "431025", "431026", "431027", "431028", "431081"}


def test_hunan_facts_of_domain_7_3():
    t = region_table()
    assert t.get("430000").name == "湖南省" and t.get("430000").level == "province"
    chenzhou = t.get("431000")
    assert (chenzhou.name, chenzhou.level, chenzhou.parent_code) == ("郴州市", "city", "430000")
    assert set(t.children("431000")) == CHENZHOU_CHILDREN
    assert t.get("431001").level == "aggregate"
    assert t.get("431081").name == "资兴市" and t.get("431081").parent_code == "431000"
    for code, name in [("432800", "郴州地区"), ("432801", "郴州市"), ("432802", "资兴市")]:
        r = t.get(code)
        assert r.name == name and r.retired and r.valid_to == 1994
    assert t.get("432802").valid_from == 1984
    assert t.get("432801").parent_code == "432800"
    assert t.get("430124").retired and not t.get("430182").retired
    assert not t.exists("430971")  # statistical code, not GB/T 2260


def test_hierarchy():
    t = region_table()
    assert t.ancestors("431002") == ["431002", "431000", "430000"]
    assert t.ancestors("432801") == ["432801", "432800", "430000"]
    assert t.ancestors("430000") == ["430000"]
    assert t.ancestors("999999") == []
    assert "431081" in t.descendants("431000")
    assert set(t.descendants("431000")) == CHENZHOU_CHILDREN
    assert {"431000", "432800", "431002", "432801"} <= set(t.descendants("430000"))


def test_municipalities_have_a_city_level():
    t = region_table()
    assert t.ancestors("110105") == ["110105", "110100", "110000"]
    assert t.get("110100").level == "city"


def test_every_parent_exists_and_every_chain_ends_at_a_province():
    t = region_table()
    for r in t:
        chain = t.ancestors(r.code)
        assert t.get(chain[-1]).level == "province", r
        assert (r.parent_code is None) == (r.level == "province"), r


def test_csv_covers_the_whole_country_with_retired_codes():
    with REGIONS_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["code", "name", "level", "parent_code", "valid_from", "valid_to", "retired",
                             "successor"]
    provinces = {r["code"] for r in rows if r["level"] == "province"}
    assert len(provinces) == 34
    assert sum(r["retired"] == "true" for r in rows) > 1000
    assert len(rows) == len(region_table())


@pytest.mark.parametrize("retired, successor", [
    ("432801", "431000"),  # 郴州市 (county-level) split into 北湖区 and 苏仙区 in 1994: the parent city
    ("432821", "431000"),  # 郴县, merged into them
    ("432800", "431000"),  # 郴州地区 → 郴州市 (撤地设市)
    ("432822", "431021"),  # 桂阳县, same name under the new city
    ("432825", "431081"),  # 资兴县 → 资兴市 432802 (1984) → 资兴市 431081 (1994): a chain
    ("432830", "430481"),  # 耒阳县 moved to 衡阳 in 1983, then 耒阳市
    ("430124", "430182"),  # 宁乡县 → 宁乡市 (2017)
    ("430221", "430200"),  # 株洲县 → 渌口区 (2018), a new name: the parent city
    ("442100", "460000"),  # 海南行政区 → 海南省 (1988, another province)
])
def test_a_retired_code_names_the_code_in_use_that_took_it_over(retired, successor):
    t = region_table()
    assert t.get(retired).successor == successor
    assert t.effective(retired) == successor
    assert t.effective("431002") == "431002" and t.get("431002").successor is None


def test_every_retired_code_has_a_successor_in_use():
    t = region_table()
    for r in t:
        assert (r.successor is not None) == r.retired, r
        if r.retired:
            s = t.get(r.successor)
            assert s is not None and not s.retired, r


def test_build_script_reproduces_the_shipped_csv(tmp_path):
    import subprocess
    import sys

    from graph_service import REPO_ROOT

    out = tmp_path / "regions.csv"
    subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "build_regions.py"), "--out", str(out)],
                   check=True, capture_output=True)
    assert out.read_text(encoding="utf-8") == REGIONS_CSV.read_text(encoding="utf-8")


def test_with_extra_adds_codes_and_keeps_the_national_ones():
    base = region_table()
    t = base.with_extra([
        {"code": "431099", "name": "郴州测试区", "parent_code": "", "level": ""},
        {"code": "431098", "name": "子区", "parent_code": "431099", "level": "county"},
        {"code": "431002", "name": "别名", "parent_code": "431000", "level": "county"},
    ])
    assert t.ancestors("431098") == ["431098", "431099", "431000", "430000"]
    assert t.get("431002").name == "北湖区"
    assert t.extra_codes == {"431099", "431098"}
    assert not base.exists("431099")


@pytest.mark.parametrize("row, field", [
    ({"code": "4310", "name": "x"}, "code"),
    ({"code": "431099", "name": ""}, "name"),
    ({"code": "431099", "name": "x", "level": "town"}, "level"),
    ({"code": "431099", "name": "x", "parent_code": "431097"}, "parent_code"),
])
def test_with_extra_rejects_bad_rows(row, field):
    with pytest.raises(RegionRowError) as err:
        region_table().with_extra([row])
    assert err.value.field == field


def _counts(drv):
    records, _, _ = drv.execute_query(query("testing/region_graph_counts"))
    return dict(records[0])


def test_ensure_regions_is_idempotent(graph):
    table = region_table()
    written = ensure_regions(graph)
    assert written == len(table)
    first = _counts(graph)
    provinces = sum(r.level == "province" for r in table)
    assert first == {"regions": len(table), "links": len(table) - provinces, "roots": provinces}

    assert ensure_regions(graph) == 0
    assert _counts(graph) == first

    records, _, _ = graph.execute_query(query("regions/ancestors"), code="431002")
    assert records[0]["codes"] == ["431002", "431000", "430000"]


def test_ensure_regions_moves_subjects_of_a_graph_without_successors(graph):
    # A graph loaded before successors were kept: its person under 432801 hangs on the retired code.
    ensure_regions(graph)
    person = {"person_id": "432801198001010015", "name": "老郴州", "region_code": "432801"}
    graph.execute_query(query("testing/forget_region_successors"))
    graph.execute_query(query("testing/person_registered_in"), person=person)
    assert ensure_regions(graph) == len(region_table())
    records, _, _ = graph.execute_query(query("testing/registered_in"), ids=[person["person_id"]])
    assert [(r["id"], r["region_code"], r["code"]) for r in records] == [
        (person["person_id"], "432801", "431000")]


def test_ensure_regions_writes_bundle_codes_with_provenance(graph):
    ensure_regions(graph)
    extra = [{"code": "431099", "name": "郴州测试区", "parent_code": "431000", "level": "county",
              "src_load": "L1", "src_file": "regions.csv", "src_line": 2}]
    assert ensure_regions(graph, extra=extra) == 1
    assert ensure_regions(graph, extra=extra) == 1
    counts = _counts(graph)
    assert counts["regions"] == len(region_table()) + 1
    records, _, _ = graph.execute_query(query("regions/ancestors"), code="431099")
    assert records[0]["codes"] == ["431099", "431000", "430000"]
    # The national table is still seen as complete: no rewrite without extra.
    assert ensure_regions(graph) == 0
    assert _counts(graph) == counts
