"""What a search text asks for and how candidates rank (graph_service/search/ranking.py); no Neo4j.
The same cases against the demo graph, per role, are in tests/test_api_search.py."""

import datetime as dt

import pytest

from graph_service.errors import Refused
from graph_service.facts.search_keys import person_names
from graph_service.search.ranking import parse, rank


def _e(uscc: str, name: str, former: list[str] | None = None, in_scope: bool = True) -> dict:
    return {"kind": "enterprise", "id": uscc, "name": name, "former_names": former,
            "former_names_until": [dt.date(2026, 7, 1)] * len(former or []), "in_scope": in_scope}


def _p(pid: str, name: str, in_scope: bool = True) -> dict:
    return {"kind": "person", "id": pid, "name": name, "pinyin_keys": person_names(name)["pinyin_keys"],
            "in_scope": in_scope}


ROWS = [
    _e("91431002MA4L2HJ36R", "郴州市恒基建材有限公司"),
    _e("91431022MA4PK7R15E", "宜章恒基混凝土有限公司"),
    _e("91430104MA4R5C0F16", "湖南恒基环保科技有限公司"),
    _e("91431081MA4P6G2E0L", "资兴志远新材料有限公司", former=["资兴恒基建材有限公司"]),
    _p("432801196804121350", "刘建国"),
    _p("432801197703093711", "曾志刚"),
]


def _ranked(text: str, rows=ROWS, scope_first: bool = False) -> list[tuple[str, str, str]]:
    return [(h.name or "", h.match, h.matched_field) for h in rank(parse(text, 200), rows, 40, scope_first)]


@pytest.mark.parametrize("text", [
    "郴州市恒基建材有限公司",  # as registered
    "郴州市恒基建材有限公司 ",  # a space
    "郴州市恒基建材（集团）有限公司",  # an organisation form added, full-width brackets
    "湖南省郴州市恒基建材有限公司",  # a province added
    "恒基建材",  # region and form left out
    "北湖区恒基建材有限责任公司",  # another form, the county
    "郴州恆基建材",  # traditional 恆
    "ＨＥＮＧ",  # not a name of the list: nothing exact
])
def test_name_variants_find_the_enterprise_first(text):
    got = _ranked(text)
    if text == "ＨＥＮＧ":
        assert all(m not in ("exact", "core") for _, m, _ in got)
        return
    assert got[0][0] == "郴州市恒基建材有限公司" and got[0][1] in ("exact", "core") and got[0][2] == "name"


def test_part_of_a_name_finds_every_enterprise_with_it_shortest_core_first():
    got = _ranked("恒基")
    assert [n for n, _, _ in got[:3]] == ["郴州市恒基建材有限公司", "宜章恒基混凝土有限公司", "湖南恒基环保科技有限公司"]
    assert {m for _, m, _ in got[:3]} == {"prefix"}
    assert ("资兴志远新材料有限公司", "prefix", "former_names") in got  # by its former name, after the current ones


def test_former_names_match_and_say_so():
    hits = rank(parse("资兴恒基建材有限公司", 200), ROWS, 40, False)
    first = hits[0]
    assert (first.name, first.match, first.matched_field) == ("资兴志远新材料有限公司", "exact", "former_names")
    assert first.why.startswith("the former name 资兴恒基建材有限公司 (until 2026-07-01)")
    # 资兴 is a region (资兴市): without it, the core 恒基建材 is also the current name of another,
    # which comes first among equal matches.
    cored = rank(parse("资兴恒基建材", 200), ROWS, 40, False)
    assert [(h.name, h.match, h.matched_field) for h in cored[:2]] == [
        ("郴州市恒基建材有限公司", "core", "name"), ("资兴志远新材料有限公司", "core", "former_names")]


@pytest.mark.parametrize(("text", "match"), [
    ("刘建国", "exact"), ("劉建國", "exact"), ("刘 建 国", "exact"), ("liu jianguo", "pinyin"),
    ("LiuJianguo", "pinyin"), ("liu", "prefix"), ("建国", "contains"),
])
def test_person_name_variants(text, match):
    got = _ranked(text)
    assert (got[0][0], got[0][1]) == ("刘建国", match)


def test_identifiers_rank_first():
    got = rank(parse("91431002MA4L2HJ36R", 200), ROWS, 40, False)
    assert (got[0].id, got[0].match, got[0].matched_field) == ("91431002MA4L2HJ36R", "id", "uscc")
    prefix = rank(parse("914310", 200), ROWS, 40, False)
    assert {h.match for h in prefix} == {"id_prefix"} and len(prefix) == 3
    person = rank(parse("432801196804121350", 200), ROWS, 40, False)
    assert (person[0].name, person[0].match) == ("刘建国", "id")


def test_order_of_classes():
    rows = [_e("A", "恒基建材商贸有限公司"), _e("B", "郴州新恒基建材有限公司"), _e("C", "恒基建材有限公司"),
            _e("D", "恒基建筑材料有限公司"), _e("E", "郴州市恒基建材有限公司")]
    got = [(h.id, h.match) for h in rank(parse("恒基建材有限公司", 200), rows, 40, False)]
    assert got == [("C", "exact"), ("E", "core"), ("A", "prefix"), ("B", "contains"), ("D", "fuzzy")]


def test_a_region_scoped_key_gets_its_region_first():
    rows = [_e("A", "郴州市恒基建材有限公司", in_scope=False), _e("B", "宜章恒基混凝土有限公司")]
    assert [h.id for h in rank(parse("恒基建材", 200), rows, 40, scope_first=True)] == ["B", "A"]
    assert [h.id for h in rank(parse("恒基建材", 200), rows, 40, scope_first=False)] == ["A", "B"]


def test_similar_names_below_the_least_similarity_are_dropped():
    rows = [_e("A", "郴州市恒基建材有限公司"), _e("B", "郴州市湘南建设工程有限公司")]
    assert [h.id for h in rank(parse("恒基建设", 200), rows, 40, False)] == ["A", "B"]
    assert [h.id for h in rank(parse("恒基建设", 200), rows, 80, False)] == []


@pytest.mark.parametrize(("text", "reason"), [
    ("", "empty"), ("   ", "empty"), ("（）·、。!?", "only punctuation"), ("x" * 201, "at most 200 characters"),
])
def test_texts_that_cannot_be_searched(text, reason):
    with pytest.raises(Refused) as exc:
        parse(text, 200)
    assert (exc.value.status, exc.value.code, exc.value.field) == (422, "invalid_request", "q")
    assert reason in str(exc.value)


def test_the_lucene_query_is_built_from_folded_forms_only():
    assert parse("郴州恒基建材(集团)", 200).lucene() == r"(郴州恒基建材\(集团\)) OR (恒基建材)"
    assert parse("Wang Jianguo", 200).lucene() == "(wangjianguo) OR wangjianguo*"
    assert parse("王", 200).lucene() == "(王) OR 王*"
    # Lucene syntax in the text is folded away or escaped: it never reaches the parser as syntax.
    assert parse('恒基" OR *:*', 200).lucene() == "(恒基or)"
    assert parse("name:(x) AND y~2", 200).lucene() == r"(name\(x\)andy2) OR (namexandy2)"
    assert parse("91431002MA4L2HJ36R", 200).lucene() is None  # a whole id names no name
