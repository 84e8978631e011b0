"""GET /v1/search on the demo bundle (issue 17 points 1 and 5): every variation class of a name for
each role, the ranking, pages, the audit of persons shown, and bad input. The ranking rules alone
are in tests/test_search_ranking.py; keys, former names and the index in tests/test_search_index.py."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from api_demo import E01, E02, E06, H3, P01, P08, api  # api: the demo app fixture
from api_helpers import assert_error, make_key

from graph_service.api.privacy import mask_name, mask_person_id
from graph_service.cypher import query

ROLES = ("public", "beihu", "zixing", "investigator", "admin")
BEIHU, ZIXING = "431002", "431081"  # E01 and P01 are registered in 北湖区; H3 in 资兴市
E01_NAME = "郴州市恒基建材有限公司"
UNKNOWN_PERSON = "432801199901010015"  # a valid citizen ID of no one
PURPOSE_TEXT = "案件 郴建罚〔2023〕12号"
PURPOSE = {"X-Purpose": quote(PURPOSE_TEXT)}  # header values are ASCII: Chinese goes percent-encoded


@pytest.fixture(scope="module")
def keys(api):
    _, driver = api
    return {"public": make_key(driver, "public"), "beihu": make_key(driver, "department", BEIHU),
            "zixing": make_key(driver, "department", ZIXING),
            "investigator": {**make_key(driver, "investigator"), **PURPOSE}, "admin": make_key(driver, "admin")}


def search(api, keys, role: str, **params) -> dict:
    c, _ = api
    r = c.get("/v1/search", params=params, headers=keys[role])
    assert r.status_code == 200, r.text
    return r.json()


# Every way of writing 郴州市恒基建材有限公司 (E01) that must find it first.
ENTERPRISE_VARIANTS = {
    "as registered": "郴州市恒基建材有限公司",
    "full-width brackets and form": "郴州市恒基建材（集团）有限公司",
    "half-width brackets": "郴州市恒基建材(集团)有限公司",
    "spaces": " 郴州 恒基 建材 ",
    "ideographic space and middle dot": "郴州\u3000恒基·建材",
    "another org form": "恒基建材有限责任公司",
    "a group": "恒基建材集团",
    "a branch": "恒基建材分公司",
    "province and city added": "湖南省郴州市恒基建材有限公司",
    "county added": "北湖区恒基建材",
    "city short form": "郴州恒基建材",
    "no region, no form": "恒基建材",
    "traditional": "郴州市恆基建材有限公司",
    "full-width USCC": "９１４３１００２ＭＡ４Ｌ２ＨＪ３６Ｒ",
    "USCC in lower case": E01.lower(),
    "USCC prefix": E01[:13],  # 91431002MA4L2: E01's alone (91431002MA4L is also H2's)
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("variant", list(ENTERPRISE_VARIANTS))
def test_every_variation_finds_the_enterprise_first(api, keys, role, variant):
    text = ENTERPRISE_VARIANTS[variant]
    got = search(api, keys, role, q=text)
    if role == "zixing":
        # Outside the key's region: found by name, masked; by its USCC not at all (an id outside
        # the scope names nothing, as an unknown one).
        if "USCC" in variant:
            assert got["items"] == []
            return
        first = got["items"][0]
        assert (first["masked"], first["id"], first["name"]) == (True, mask_person_id(E01), mask_name(E01_NAME))
        assert first["in_region"] is False and first["region_code"] is None
        assert first["matched_value"] is None and "恒基" not in first["why"]
        return
    first = got["items"][0]
    assert (first["id"], first["kind"], first["masked"]) == (E01, "enterprise", False), got
    assert first["name"] == E01_NAME
    expected = {"as registered": "exact", "traditional": "exact", "full-width USCC": "id", "USCC in lower case": "id",
                "USCC prefix": "id_prefix",
                "ideographic space and middle dot": "core", "spaces": "core"}.get(variant, "core")
    assert first["match"] == expected, first
    assert first["matched_field"] == ("uscc" if "USCC" in variant else "name")
    assert first["why"]
    assert first["in_region"] is (True if role == "beihu" else None)


@pytest.mark.parametrize("role", ROLES)
def test_part_of_a_name_finds_every_enterprise_with_it_best_first(api, keys, role):
    got = search(api, keys, role, q="恒基")
    items = got["items"]
    assert got["total"] == 3 and not got["capped"] and got["next_cursor"] is None
    if role == "beihu":
        # Its region first (E01, 北湖区), then the others masked.
        assert items[0]["id"] == E01 and [h["masked"] for h in items] == [False, True, True]
        assert [h["in_region"] for h in items] == [True, False, False]
        return
    if role == "zixing":
        assert [h["masked"] for h in items] == [True, True, True]
        assert [h["name"] for h in items] == [mask_name(n) for n in (E01_NAME, "宜章恒基混凝土有限公司", "湖南恒基环保科技有限公司")]
        return
    assert [h["id"] for h in items] == [E01, E02, E06]  # the shortest core first: 恒基建材, 恒基混凝土, 恒基环保科技
    assert {h["match"] for h in items} == {"prefix"}
    assert [h["score"] for h in items] == sorted((h["score"] for h in items), reverse=True)


PERSON_VARIANTS = {"as registered": ("刘建国", "exact"), "traditional": ("劉建國", "exact"),
                   "spaces": ("刘 建 国", "exact"), "full-width spaces": ("刘\u3000建国", "exact"),
                   "pinyin": ("liu jianguo", "pinyin"), "pinyin run together": ("LiuJianguo", "pinyin"),
                   "pinyin full-width": ("ｌｉｕ ｊｉａｎｇｕｏ", "pinyin"), "pinyin being typed": ("liujian", "prefix"),
                   "part": ("建国", "contains")}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("variant", list(PERSON_VARIANTS))
def test_every_variation_finds_the_person(api, keys, role, variant):
    text, match = PERSON_VARIANTS[variant]
    got = search(api, keys, role, q=text, kind="person")
    first = got["items"][0]
    assert first["kind"] == "person" and first["match"] == match, got
    if role == "public" or role == "zixing":
        assert first["masked"] and first["id"] == "4328**********1350" and first["name"] == "刘*国"
        assert first["matched_value"] is None and "建国" not in first["why"] and "jian" not in first["why"]
        assert first["region_code"] is None
    else:
        assert (first["id"], first["name"], first["masked"]) == (P01, "刘建国", False)
        assert first["matched_field"] == ("pinyin_keys" if "pinyin" in variant else "name")


def test_a_person_by_id_for_each_role(api, keys):
    c, _ = api
    # Public: refused, whatever the id (nothing is looked up).
    for pid in (P01, UNKNOWN_PERSON):
        assert_error(c.get("/v1/search", params={"q": pid}, headers=keys["public"]), 403, "forbidden", "q")
    # ... unless it asks for enterprises only.
    assert search(api, keys, "public", q=P01, kind="enterprise")["items"] == []
    for role in ("investigator", "admin", "beihu"):
        items = search(api, keys, role, q=P01)["items"]
        assert [(h["id"], h["match"], h["matched_field"]) for h in items] == [(P01, "id", "person_id")]
    # Outside a department key's region, an id finds nothing, as an unknown one does.
    assert search(api, keys, "zixing", q=P01)["items"] == search(api, keys, "zixing", q=UNKNOWN_PERSON)["items"]
    assert search(api, keys, "zixing", q=P01)["items"] == []


def test_kind_and_region_filter(api, keys):
    assert {h["kind"] for h in search(api, keys, "admin", q="志远")["items"]} == {"enterprise", "person"}
    assert {h["kind"] for h in search(api, keys, "admin", q="志远", kind="enterprise")["items"]} == {"enterprise"}
    in_zixing = search(api, keys, "admin", q="志远", region=ZIXING)["items"]
    assert [h["id"] for h in in_zixing] == [H3]
    assert search(api, keys, "zixing", q="志远", region=ZIXING)["items"][0]["in_region"] is True
    c, _ = api
    assert_error(c.get("/v1/search", params={"q": "志远", "region": ZIXING}, headers=keys["beihu"]),
                 403, "outside_region", "region")


def test_pages_follow_the_cursor_in_rank_order(api, keys):
    c, _ = api
    whole = [h["id"] for h in search(api, keys, "admin", q="恒基")["items"]]
    seen, params = [], {"q": "恒基", "limit": 1}
    while True:
        page = search(api, keys, "admin", **params)
        assert page["limit"] == 1 and len(page["items"]) <= 1 and page["total"] == 3
        seen += [h["id"] for h in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == whole
    # A cursor belongs to its search.
    first = search(api, keys, "admin", q="恒基", limit=1)
    assert_error(c.get("/v1/search", params={"q": "南岭", "cursor": first["next_cursor"]}, headers=keys["admin"]),
                 422, "invalid_cursor", "cursor")


def test_persons_shown_are_audited_and_investigators_state_a_purpose(api, keys):
    c, driver = api

    def entries() -> list[dict]:
        rows = driver.execute_query(query("testing/audit_list"), subject_id=P08, limit=100).records
        return [r["entry"] for r in rows if r["entry"]["endpoint"] == "GET /v1/search"]

    before = len(entries())
    bare = make_key(driver, "investigator")
    assert_error(c.get("/v1/search", params={"q": "王海涛"}, headers=bare), 422, "purpose_required", "X-Purpose")
    # Enterprises only: no person-level data, no purpose needed.
    assert c.get("/v1/search", params={"q": "恒基", "kind": "enterprise"}, headers=bare).status_code == 200
    assert entries()[before:] == []
    search(api, keys, "investigator", q="王海涛")
    search(api, keys, "admin", q="wang haitao")
    search(api, keys, "public", q="王海涛")  # masked: not a person-level read
    got = entries()[before:]
    assert sorted(e["role"] for e in got) == ["admin", "investigator"]
    assert {e["purpose"] for e in got if e["role"] == "investigator"} == {PURPOSE_TEXT}


@pytest.mark.parametrize(("params", "code", "field"), [
    ({}, "invalid_request", "q"),
    ({"q": ""}, "invalid_request", "q"),
    ({"q": "   "}, "invalid_request", "q"),
    ({"q": "（）·、。！？"}, "invalid_request", "q"),
    ({"q": "恒" * 201}, "invalid_request", "q"),
    ({"q": "恒基", "kind": "company"}, "invalid_request", "kind"),
    ({"q": "恒基", "limit": 0}, "invalid_request", "limit"),
    ({"q": "恒基", "limit": 101}, "invalid_request", "limit"),
    ({"q": "恒基", "limit": "x"}, "invalid_request", "limit"),
    ({"q": "恒基", "cursor": "not-a-cursor"}, "invalid_cursor", "cursor"),
    ({"q": "恒基", "cursor": "eyJvZmZzZXQiOi0xfQ"}, "invalid_cursor", "cursor"),  # {"offset":-1}
    ({"q": "恒基", "region": "43100"}, "invalid_region", "region"),
    ({"q": "恒基", "region": "439999"}, "invalid_region", "region"),
])
def test_bad_input_is_a_422_naming_the_field(api, keys, params, code, field):
    c, _ = api
    err = assert_error(c.get("/v1/search", params=params, headers=keys["admin"]), 422, code, field)
    if params.get("q") == "恒" * 201:
        assert "CREDIT_GRAPH_SEARCH_MAX_QUERY_LENGTH" in err["message"]


def test_the_openapi_example_is_the_demo_answer(api, keys):
    from graph_service.api.models.search import EXAMPLE

    assert search(api, keys, "admin", q=EXAMPLE["q"]) == EXAMPLE
