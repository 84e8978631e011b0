"""Scoring of a query by example (graph_service/search/scoring.py) and the checking of a query
(graph_service/search/match.parse): pure Python, no Neo4j. The ordering issue 17 asks for, each
feature on its own, and the formula of docs/search.md ("Match")."""

from __future__ import annotations

import datetime as dt

import pytest

from graph_service.access.caller import Caller
from graph_service.errors import ServiceError
from graph_service.identifiers import ric_check_char
from graph_service.search import scoring
from graph_service.search.match import id_codes, parse, statement_entry
from graph_service.settings import ServiceSettings

# Demo persons and enterprises (loaders/demo/README.md).
P01 = {"kind": "person", "id": "432801196804121350", "name": "刘建国", "region_code": "431002",
       "id_type": "resident_id"}
P17 = {"kind": "person", "id": "H60218735", "name": "陈家辉", "region_code": None, "id_type": "other"}
E01 = {"kind": "enterprise", "id": "91431002MA4L2HJ36R", "name": "郴州市恒基建材有限公司", "region_code": "431002",
       "address": "湖南省郴州市北湖区五岭大道168号", "representatives": ["陈志强"], "former_names": None}


def person(**props):
    return scoring.score(scoring.prepare("person", props), P01)


def enterprise(**props):
    return scoring.score(scoring.prepare("enterprise", props), E01)


BORN = dt.date(1968, 4, 12)


# --- the ordering ----------------------------------------------------------------------------

def test_person_ordering_exact_id_then_name_and_birth_date_then_name_then_other_birth_date():
    exact = person(person_id=P01["id"])
    name_birth = person(name="刘建国", birth_date=BORN)
    name_only = person(name="刘建国")
    other_birth = person(name="刘建国", birth_date=dt.date(1975, 9, 3))
    assert exact.score == 1.0 and exact.exact_id
    assert 1.0 > name_birth.score > name_only.score > other_birth.score > 0
    assert (name_birth.score, name_only.score, other_birth.score) == (0.95, 0.7, 0.4)
    threshold = ServiceSettings().match_threshold
    assert name_birth.score >= threshold and name_only.score >= threshold > other_birth.score


def test_enterprise_ordering_exact_uscc_then_name_with_evidence_then_name_then_conflict():
    exact = enterprise(uscc=E01["id"], name="something else entirely")
    evidence = enterprise(name="郴州市恒基建材有限公司", region_code="431002", legal_representative="陈志强")
    name_only = enterprise(name="郴州市恒基建材有限公司")
    conflict = enterprise(name="郴州市恒基建材有限公司", legal_representative="王海涛", region_code="440305")
    assert exact.score == 1.0
    assert 1.0 > evidence.score > name_only.score > conflict.score


def test_score_stays_in_bounds_and_below_an_exact_id():
    everything = person(name="刘建国", birth_date=BORN, gender="male", region_code="431002")
    assert everything.score == scoring.MAX_WITHOUT_ID < 1.0
    nothing = person(name="欧阳志远", birth_date=dt.date(2001, 1, 1), gender="female", region_code="440305")
    assert nothing.score == 0.0


def test_the_score_is_the_documented_sum():
    s = person(name="劉建國", birth_date=BORN, region_code="431022")
    expected = scoring.NAME_WEIGHT * s.features["name"] + sum(
        scoring.contribution(f, s.features[f]) for f in ("birth_date", "region"))
    assert s.score == pytest.approx(expected, abs=1e-3)
    assert s.contributions["name"] == pytest.approx(0.7)
    assert set(s.features) == {"name", "birth_date", "region"} == set(s.reasons) == set(s.contributions)
    assert s.explanation().startswith(f"score {s.score:.3f}; name 1.00")


@pytest.mark.parametrize(("s", "c"), [(1.0, 0.25), (0.5, 0.0), (0.75, 0.125), (0.0, -0.30), (0.25, -0.15)])
def test_contribution_is_linear_with_nothing_at_one_half(s, c):
    assert scoring.contribution("birth_date", s) == pytest.approx(c)


# --- each feature ----------------------------------------------------------------------------

def test_id_exact_near_and_other():
    assert person(name="刘建国", person_id=P01["id"]).exact_id
    wrong_digit = P01["id"][:9] + "9" + P01["id"][10:]
    near = person(name="刘建国", person_id=wrong_digit)
    assert not near.exact_id and near.features["id"] == 0.75 and near.contributions["id"] > 0
    swapped = P01["id"][:8] + P01["id"][9] + P01["id"][8] + P01["id"][10:]
    assert person(person_id=swapped).features["id"] == 0.75
    other = person(name="刘建国", person_id="432821198606181955")
    assert other.features["id"] == 0.0 and other.score < ServiceSettings().match_threshold


def test_a_fifteen_digit_id_is_compared_in_its_eighteen_digit_form():
    first17 = "432801" + "19" + "680412135"
    assert scoring.upgrade_id("432801680412135") == first17 + ric_check_char(first17)
    assert scoring.upgrade_id("432801680412135") == P01["id"][:17] + P01["id"][17]
    assert person(person_id="432801680412135").exact_id


@pytest.mark.parametrize("variant", ["刘建国", "劉建國", "刘 建国", "刘·建国", "刘\u3000建国", "ＬＩＵ"[0:0] + "刘建国"])
def test_person_name_variants_are_equal(variant):
    assert person(name=variant).features["name"] == 1.0


def test_person_name_pinyin_homophone_and_wrong_character():
    assert person(name="Liu Jianguo").features["name"] == 0.9
    assert person(name="liu-jian-guo").features["name"] == 0.9
    assert 0.8 < person(name="Liu Jianguoo").features["name"] < 0.9
    assert person(name="刘健国").features["name"] == 0.85  # 健 reads jian like 建
    assert person(name="刘建民").features["name"] == pytest.approx(2 / 3, abs=1e-3)
    assert person(name="王海涛").features["name"] == 0.0


@pytest.mark.parametrize(("variant", "sim"), [
    ("郴州市恒基建材有限公司", 1.0),
    ("郴州市恒基建材有限公司 ", 1.0),
    ("郴州市 恒基建材 有限公司", 1.0),
    ("郴州市恆基建材有限公司", 1.0),  # traditional 恆
    ("恒基建材（郴州）有限公司", 0.95),  # region in brackets
    ("恒基建材(郴州)有限公司", 0.95),
    ("湖南省郴州市恒基建材有限公司", 0.95),  # region prefix added
    ("恒基建材有限公司", 0.95),  # region prefix removed
    ("郴州市恒基建材", 0.95),  # organisation form removed
    ("郴州市恒基建材有限责任公司", 0.95),  # another organisation form
    ("郴州市恒基健材有限公司", 0.75),  # one wrong character of a four-character core
    ("郴州市恒基商贸有限公司", 0.5),  # another enterprise: two characters of the core
])
def test_enterprise_name_variants(variant, sim):
    assert enterprise(name=variant).features["name"] == pytest.approx(sim)


def test_enterprise_former_name_counts_as_a_name():
    renamed = {**E01, "name": "郴州市恒基新材料有限公司", "former_names": ["郴州市恒基建材有限公司"]}
    s = scoring.score(scoring.prepare("enterprise", {"name": "郴州恒基建材"}), renamed)
    assert s.features["name"] == 0.95 and "former name" in s.reasons["name"]


@pytest.mark.parametrize(("asked", "sim"), [
    (BORN, 1.0), (dt.date(1968, 4, 13), 0.3), (dt.date(1986, 4, 12), 0.3), (dt.date(1968, 12, 4), 0.3),
    (dt.date(1970, 1, 1), 0.0),
])
def test_birth_date_is_compared_with_the_one_the_id_encodes(asked, sim):
    assert person(name="刘建国", birth_date=asked).features["birth_date"] == sim


def test_gender_is_compared_with_the_one_the_id_encodes():
    assert scoring.resident_facts(P01["id"], "resident_id") == (BORN, "male")  # 17th digit 5: odd
    assert person(name="刘建国", gender="male").features["gender"] == 1.0
    female = person(name="刘建国", gender="female")
    assert female.features["gender"] == 0.0 and female.contributions["gender"] == -0.2


def test_a_passport_holder_has_no_birth_date_or_gender_to_compare():
    s = scoring.score(scoring.prepare("person", {"name": "陈家辉", "birth_date": BORN, "gender": "male"}), P17)
    assert set(s.features) == {"name"} and s.score == 0.7
    assert scoring.resident_facts("H60218735", "other") == (None, None)


@pytest.mark.parametrize(("asked", "sim"), [
    ("431002", 1.0),  # its county
    ("431000", 0.9),  # its city
    ("430000", 0.7),  # its province
    ("431003", 0.5),  # another county of the same city: nothing for or against
    ("430104", 0.2),  # the same province
    ("440305", 0.0),  # elsewhere
])
def test_region_through_the_hierarchy(asked, sim):
    assert enterprise(name="恒基建材", region_code=asked).features["region"] == sim


def test_region_of_a_person_counts_the_address_code_of_the_id():
    # 432801 (retired; successor 431000) is the code P01's id carries; P01 is registered in 431002.
    moved = {**P01, "region_code": "440305"}
    s = scoring.score(scoring.prepare("person", {"name": "刘建国", "region_code": "431000"}), moved)
    assert s.features["region"] == 1.0


def test_legal_representative_is_strict():
    assert enterprise(name="恒基建材", legal_representative="陈志强").features["legal_representative"] == 1.0
    assert enterprise(name="恒基建材", legal_representative="陳志強").features["legal_representative"] == 1.0
    assert enterprise(name="恒基建材", legal_representative="陈智强").features["legal_representative"] == 0.85
    # Same surname, another person: evidence against, not half for.
    assert enterprise(name="恒基建材", legal_representative="陈强").features["legal_representative"] == 0.0
    assert enterprise(name="恒基建材", legal_representative="陈强").contributions["legal_representative"] == -0.15


def test_address_similarity_and_other_numbers():
    assert enterprise(name="恒基建材", address="湖南省郴州市北湖区五岭大道168号").features["address"] == 1.0
    assert enterprise(name="恒基建材", address="湖南省郴州市北湖区五岭大道１６８号").features["address"] == 1.0
    assert enterprise(name="恒基建材", address="湖南省郴州市北湖区五岭大道16号").features["address"] == 0.4
    assert enterprise(name="恒基建材", address="郴州市北湖区五岭大道168号").features["address"] > 0.9


def test_features_the_query_leaves_out_count_nothing():
    s = enterprise(name="郴州市恒基建材有限公司")
    assert list(s.features) == ["name"] and s.score == 0.7


# --- the query checked -----------------------------------------------------------------------

ADMIN = Caller("k", "admin")
PUBLIC = Caller("k", "public")
SETTINGS = ServiceSettings()


@pytest.mark.parametrize(("kind", "props", "threshold", "limit", "field"), [
    ("enterprise", {}, None, None, "properties"),
    ("enterprise", {"region_code": "431002", "address": "五岭大道"}, None, None, "properties"),
    ("person", {"birth_date": BORN}, None, None, "properties"),
    ("person", {"name": "  "}, None, None, "properties"),
    ("person", {"name": "·—！"}, None, None, "properties.name"),
    ("person", {"name": "刘建国", "uscc": E01["id"]}, None, None, "properties.uscc"),
    ("enterprise", {"name": "恒基", "birth_date": BORN}, None, None, "properties.birth_date"),
    ("enterprise", {"name": "恒基", "region_code": "999999"}, None, None, "properties.region_code"),
    ("robot", {"name": "恒基"}, None, None, "kind"),
    ("enterprise", {"name": "恒基"}, 1.5, None, "threshold"),
    ("enterprise", {"name": "恒基"}, -0.1, None, "threshold"),
    ("enterprise", {"name": "恒基"}, float("nan"), None, "threshold"),
    ("enterprise", {"name": "恒基"}, None, 0, "limit"),
    ("enterprise", {"name": "恒基"}, None, 51, "limit"),
])
def test_bad_queries_are_422_naming_the_field(kind, props, threshold, limit, field):
    with pytest.raises(ServiceError) as exc:
        parse(ADMIN, kind, props, threshold, limit, SETTINGS, "queries.k1.")
    assert exc.value.status == 422 and exc.value.field == f"queries.k1.{field}"


def test_public_may_not_match_persons():
    with pytest.raises(ServiceError) as exc:
        parse(PUBLIC, "person", {"name": "刘建国"}, None, None, SETTINGS)
    assert (exc.value.status, exc.value.field) == (403, "kind")
    assert parse(PUBLIC, "enterprise", {"name": "恒基"}, None, None, SETTINGS).kind == "enterprise"


def test_a_good_query_with_defaults_and_an_id_only_one():
    asked = parse(ADMIN, "person", {"person_id": " 432801196804121350 ", "gender": None, "name": ""}, None, None,
                  SETTINGS)
    assert (asked.threshold, asked.limit) == (SETTINGS.match_threshold, SETTINGS.match_limit)
    assert asked.query.id == P01["id"] and asked.query.given() == ["id"]
    assert parse(ADMIN, "enterprise", {"name": "恒基"}, 0.0, 50, SETTINGS).threshold == 0.0


def test_what_the_statement_is_asked():
    e = statement_entry(0, scoring.prepare("enterprise", {"name": "郴州市恒基建材有限公司", "legal_representative": "陈志强"}))
    assert e["text"] == "search_keys:((恒基建材) OR (郴州市恒基建材))"
    # With a region asked, the core is also cut with its names only: 新源 is a county in Xinjiang too.
    assert statement_entry(0, scoring.prepare("enterprise", {"name": "郴州市新源餐饮管理有限公司"}))["text"] == \
        "search_keys:((餐饮管理) OR (郴州市新源餐饮管理))"
    assert statement_entry(0, scoring.prepare("enterprise", {"name": "郴州市新源餐饮管理有限公司",
                                                             "region_code": "431000"}))["text"] == \
        "search_keys:((餐饮管理) OR (新源餐饮管理))"
    assert (e["representative"], e["prefixes"]) == ("陈志强", [])
    p = statement_entry(1, scoring.prepare("person", {"name": "刘建国", "birth_date": BORN, "region_code": "431002"}))
    assert p["text"] == "search_keys:((刘建国)) OR pinyin_keys:(liujianguo)" and p["representative"] is None
    # The id prefixes cover the retired code 432801 older ids of Beihu carry.
    assert "43280119680412" in p["prefixes"] and "43100219680412" in p["prefixes"]
    typed = statement_entry(2, scoring.prepare("person", {"name": "Liu Jianguo"}))
    assert typed["text"] == "pinyin_keys:(liujianguo) OR pinyin_keys:liujianguo~1"
    assert id_codes("430000") == ()  # a province: too many codes to read by prefix
