"""The search keys and name history each write path stores (graph_service/facts/search_keys.py); no Neo4j."""

import datetime as dt

from graph_service.facts.search_keys import day_of, enterprise_names, new_enterprise_names, person_names

AT1 = dt.datetime(2025, 3, 1, 2, 0, tzinfo=dt.UTC)
AT2 = dt.datetime(2026, 6, 30, 17, 0, tzinfo=dt.UTC)  # 2026-07-01 in China


def _stored(names: dict, name: str) -> dict:
    return {**names, "name": name}


def test_a_new_enterprise_has_the_keys_of_its_name_and_no_history():
    got = new_enterprise_names("湖南省郴州市恒信建材有限公司", "load-1", AT1)
    assert got["search_keys"] == ["湖南省郴州市恒信建材有限公司", "恒信建材"]
    assert got["former_names"] is None and got["name_since"] == dt.date(2025, 3, 1) and got["name_load"] == "load-1"
    assert enterprise_names("湖南省郴州市恒信建材有限公司", None, "load-1", AT1) == got


def test_a_rename_by_a_later_load_keeps_the_earlier_name_with_its_days():
    first = new_enterprise_names("郴州市恒信建材有限公司", "load-1", AT1)
    second = enterprise_names("郴州市恒信新材料集团有限公司", _stored(first, "郴州市恒信建材有限公司"), "load-2", AT2)
    assert second["former_names"] == ["郴州市恒信建材有限公司"]
    assert second["former_names_from"] == [dt.date(2025, 3, 1)]
    assert second["former_names_until"] == [dt.date(2026, 7, 1)]
    assert second["name_since"] == dt.date(2026, 7, 1) and second["name_load"] == "load-2"
    # The current name's keys first, then the former name's: both searchable.
    assert second["search_keys"] == ["郴州市恒信新材料集团有限公司", "恒信新材料", "郴州市恒信建材有限公司", "恒信建材"]
    third = enterprise_names("恒信控股有限公司", _stored(second, "郴州市恒信新材料集团有限公司"), "load-3", AT2)
    assert third["former_names"] == ["郴州市恒信建材有限公司", "郴州市恒信新材料集团有限公司"]
    assert third["search_keys"][:2] == ["恒信控股有限公司", "恒信控股"]


def test_a_rename_by_the_load_that_wrote_the_name_only_replaces_it():
    """A bundle repeating an enterprise's row: the later row wins, as for any property, so the
    import of load --initial (first row imported, the repeat written as an update) ends as the
    transactional load (only the last row written)."""
    first = new_enterprise_names("郴州市恒基建材有限公司", "load-1", AT1)
    again = enterprise_names("郴州市恒基建材集团有限公司", _stored(first, "郴州市恒基建材有限公司"), "load-1", AT1)
    assert again == new_enterprise_names("郴州市恒基建材集团有限公司", "load-1", AT1)


def test_an_unchanged_name_keeps_its_history():
    first = new_enterprise_names("郴州市恒信建材有限公司", "load-1", AT1)
    second = enterprise_names("恒信新材料有限公司", _stored(first, "郴州市恒信建材有限公司"), "load-2", AT2)
    same = enterprise_names("恒信新材料有限公司", _stored(second, "恒信新材料有限公司"), "load-3", AT2)
    assert same == second


def test_an_enterprise_stored_before_names_were_tracked_dates_its_name_by_its_last_write():
    legacy = {"name": "郴州市恒信建材有限公司", "src_load": "load-0", "src_at": AT1}
    assert enterprise_names("郴州市恒信建材有限公司", legacy, "load-0", AT2)["name_since"] == dt.date(2025, 3, 1)
    renamed = enterprise_names("恒信新材料有限公司", legacy, "load-2", AT2)
    assert renamed["former_names"] == ["郴州市恒信建材有限公司"] and renamed["former_names_from"] == [dt.date(2025, 3, 1)]


def test_person_keys():
    got = person_names("王建國")
    assert got["search_keys"] == ["王建国"] and got["pinyin_keys"][0] == "wangjianguo"  # 王 is also read yu
    assert person_names("欧阳 志远")["pinyin_keys"] == ["ouyangzhiyuan"]
    assert person_names("John Smith") == {"search_keys": ["johnsmith"], "pinyin_keys": None}


def test_days_are_china_days():
    assert day_of(dt.datetime(2026, 11, 26, 20, 14, tzinfo=dt.UTC)) == dt.date(2026, 11, 27)
