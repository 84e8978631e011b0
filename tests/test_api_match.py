"""POST /v1/match and /v1/match/batch on the demo bundle (issue 17 points 2 and 5): scores ordered on
real candidates, the variations of a name found, a batch keyed by the caller's ids answering as the
single match, roles and audit, bad input."""

from __future__ import annotations

import pytest
from api_demo import E01, E02, E03, E06, P01, P08, P17, api, demo_app
from api_helpers import assert_error, make_key

from graph_service.access import keys
from graph_service.cypher import query

B01 = "1968-04-12"  # P01 刘建国's birth date, positions 7-14 of his citizen id


@pytest.fixture(scope="module")
def admin(api):
    return make_key(api[1], "admin")


def match(c, headers, kind, props, **extra):
    r = c.post("/v1/match", headers=headers, json={"kind": kind, "properties": props, **extra})
    assert r.status_code == 200, r.text
    return r.json()


def candidate(answer, subject_id):
    return next((x for x in answer["candidates"] if x["subject"]["id"] == subject_id), None)


# --- scores on real candidates ---------------------------------------------------------------

def test_scores_are_ordered_exact_id_then_name_and_birth_date_then_name_then_other_birth_date(api, admin):
    c, _ = api
    exact = candidate(match(c, admin, "person", {"person_id": P01}), P01)
    name_birth = candidate(match(c, admin, "person", {"name": "刘建国", "birth_date": B01}), P01)
    name_only = candidate(match(c, admin, "person", {"name": "刘建国"}), P01)
    other_birth = candidate(match(c, admin, "person", {"name": "刘建国", "birth_date": "1975-09-03"}), P01)
    assert exact["score"] == 1.0 > name_birth["score"] > name_only["score"] > other_birth["score"] > 0
    assert [x["match"] for x in (exact, name_birth, name_only, other_birth)] == [True, True, True, False]
    assert name_birth["features"] == {"name": 1.0, "birth_date": 1.0}
    assert other_birth["features"]["birth_date"] == 0.0 and other_birth["contributions"]["birth_date"] < 0
    assert "birth date its citizen id encodes" in other_birth["explanation"]


def test_the_openapi_example_is_the_demo_answer(api, admin):
    from graph_service.api.examples import MATCH_EXAMPLE
    from graph_service.app import create_app

    c, _ = api
    r = c.post("/v1/match", headers=admin, json=MATCH_EXAMPLE["request"])
    assert r.status_code == 200 and r.json() == MATCH_EXAMPLE["response"], r.text
    op = create_app().openapi()["paths"]["/v1/match"]["post"]
    assert op["responses"]["200"]["content"]["application/json"]["example"] == MATCH_EXAMPLE["response"]
    assert MATCH_EXAMPLE["request"] in [e["value"] for e in op["requestBody"]["content"]["application/json"]
                                        ["examples"].values()]


def test_enterprise_written_another_way_is_found_first(api, admin):
    c, _ = api
    out = match(c, admin, "enterprise", {"name": "恒基建材（郴州）有限公司", "region_code": "431000",
                                         "legal_representative": "陈志强"})
    first = out["candidates"][0]
    assert first["subject"] == {"kind": "enterprise", "id": E01, "name": "郴州市恒基建材有限公司",
                                "region_code": "431002", "status": "active", "in_scope": True, "masked": False}
    assert first["match"] and first["features"]["name"] == 0.95 and first["features"]["legal_representative"] == 1.0
    others = [x for x in out["candidates"][1:] if x["subject"]["id"] in (E02, E06)]
    assert others and not any(x["match"] for x in others)  # 恒基混凝土, 恒基环保科技: other enterprises
    assert out["query"]["core"] == "恒基建材" and out["query"]["features"] == ["name", "region",
                                                                              "legal_representative"]
    assert out["matches"] == 1 and out["compared"] >= len(out["candidates"])


@pytest.mark.parametrize("name", ["郴州市恒基建材有限公司", "郴州市 恒基建材 有限公司", "郴州市恆基建材有限公司",
                                  "湖南省郴州市恒基建材有限公司", "恒基建材有限公司", "郴州市恒基建材",
                                  "恒基建材(北湖)有限公司", "郴州市恒基建才有限公司"])
def test_each_variation_of_an_enterprise_name_matches(api, admin, name):
    c, _ = api
    out = match(c, admin, "enterprise", {"name": name, "region_code": "431002", "legal_representative": "陈志强"})
    assert out["candidates"][0]["subject"]["id"] == E01 and out["candidates"][0]["match"], out


@pytest.mark.parametrize(("props", "subject"), [
    ({"name": "劉建國", "birth_date": B01}, P01),  # traditional
    ({"name": "刘 建国", "birth_date": B01, "gender": "male"}, P01),
    ({"name": "Liu Jianguo", "birth_date": B01}, P01),  # pinyin
    ({"name": "刘建民", "birth_date": B01, "region_code": "431002"}, P01),  # a wrong character: by birth date and region
    ({"name": "Wang Haitao", "region_code": "431003"}, P08),
    ({"name": "刘建国", "person_id": "432801680412135"}, P01),  # the 15-digit form of the id
    ({"name": "刘建国", "person_id": P01[:9] + "9" + P01[10:]}, P01),  # one wrong digit
])
def test_person_variations_match(api, admin, props, subject):
    c, _ = api
    out = match(c, admin, "person", props)
    assert out["candidates"][0]["subject"]["id"] == subject and out["candidates"][0]["match"], out


def test_an_enterprise_is_found_through_its_legal_representative(api, admin):
    # Three characters of the name wrong: the full-text index alone would not rank it; the legal
    # representative's name finds it, and the other evidence carries it.
    c, _ = api
    out = match(c, admin, "enterprise", {"name": "郴州市恒达建料有限公司", "legal_representative": "陈志强",
                                         "region_code": "431002", "address": "湖南省郴州市北湖区五岭大道168号"})
    e01 = candidate(out, E01)
    assert e01 is not None and e01["features"]["legal_representative"] == 1.0 and e01["features"]["address"] == 1.0


def test_threshold_and_limit_per_request(api, admin):
    c, _ = api
    strict = match(c, admin, "person", {"name": "刘建国", "birth_date": B01}, threshold=0.96, limit=1)
    assert strict["threshold"] == 0.96 and len(strict["candidates"]) == 1
    assert strict["candidates"][0]["score"] == 0.95 and not strict["candidates"][0]["match"]
    lax = match(c, admin, "person", {"name": "刘建国", "birth_date": "1975-09-03"}, threshold=0.4)
    assert candidate(lax, P01)["match"]


def test_a_wrong_uscc_is_evidence_not_an_error(api, admin):
    c, _ = api
    out = match(c, admin, "enterprise", {"name": "郴州市恒基建材有限公司", "uscc": E01[:-1] + "A"})
    first = out["candidates"][0]
    assert first["subject"]["id"] == E01 and first["features"]["id"] == 0.75 and first["match"]
    assert match(c, admin, "enterprise", {"uscc": E03})["candidates"][0]["subject"]["id"] == E03


# --- the batch -------------------------------------------------------------------------------

QUERIES = {
    "p01": {"kind": "person", "properties": {"name": "劉建國", "birth_date": B01}},
    "p08": {"kind": "person", "properties": {"name": "Wang Haitao", "region_code": "431003"}, "threshold": 0.9},
    "e01": {"kind": "enterprise", "properties": {"name": "恒基建材有限公司", "legal_representative": "陈志强"}},
    "e03": {"kind": "enterprise", "properties": {"uscc": E03}, "limit": 1},
    "nothing": {"kind": "person", "properties": {"region_code": "431002"}},
    "other": {"kind": "enterprise", "properties": {"name": "恒基", "birth_date": B01}},
    "strict": {"kind": "enterprise", "properties": {"name": "恒基"}, "threshold": 2},
    "p17": {"kind": "person", "properties": {"name": "陈家辉"}},
}


def assert_batch_like_singles(c, headers, queries, extra_headers=None) -> dict:
    h = {**headers, **(extra_headers or {})}
    r = c.post("/v1/match/batch", headers=h, json={"queries": queries})
    assert r.status_code == 200, r.text
    out = r.json()
    assert list(out["responses"]) == list(queries)
    for key, q in queries.items():
        single = c.post("/v1/match", headers=h, json=q)
        item = out["responses"][key]
        assert item["status"] == single.status_code, (key, single.text)
        if single.status_code == 200:
            assert item["result"] == single.json(), key
        else:
            e = single.json()["error"]
            assert item["error"]["code"] == e["code"], key
            assert item["error"]["field"] in (f"queries.{key}.{e['field']}", e["field"]), key
    return out


def test_batch_answers_each_key_like_the_single_match(api, admin):
    c, _ = api
    out = assert_batch_like_singles(c, admin, QUERIES)
    assert out["counts"] == {"match": 4, "no_match": 1, "error": 3}
    assert out["responses"]["nothing"]["error"]["field"] == "queries.nothing.properties"
    assert out["responses"]["other"]["error"]["field"] == "queries.other.properties.birth_date"
    assert out["responses"]["strict"]["error"]["field"] == "queries.strict.threshold"
    assert not out["responses"]["p08"]["result"]["candidates"][0]["match"]  # 0.71 under its own 0.9


@pytest.mark.parametrize(("role", "region"), [("public", None), ("department", "431003"), ("investigator", None)])
def test_batch_answers_like_the_single_match_for_every_role(api, role, region):
    c, graph = api
    h = make_key(graph, role, region)
    out = assert_batch_like_singles(c, h, QUERIES, {"X-Purpose": "case 2026-17"})
    statuses = {k: item["status"] for k, item in out["responses"].items()}
    assert statuses["e01"] == 200
    assert statuses["p01"] == (403 if role == "public" else 200)


def test_batch_limits(neo4j_driver, neo4j_conn):
    with demo_app(neo4j_driver, neo4j_conn, match_batch_max_items=2) as c:
        h = make_key(neo4j_driver, "admin")
        q = {"kind": "enterprise", "properties": {"name": "恒基"}}
        assert c.post("/v1/match/batch", headers=h, json={"queries": {"a": q, "b": q}}).status_code == 200
        assert_error(c.post("/v1/match/batch", headers=h, json={"queries": {"a": q, "b": q, "c": q}}), 422,
                     "invalid_request", "queries")
        assert_error(c.post("/v1/match/batch", headers=h, json={"queries": {}}), 422, "invalid_request", "queries")
        bad_kind = {"queries": {"a": q, "b": {"kind": "robot", "properties": {"name": "恒基"}}}}
        assert_error(c.post("/v1/match/batch", headers=h, json=bad_kind), 422, "invalid_request", "queries.b.kind")


# --- roles and audit -------------------------------------------------------------------------

def audit_entries(graph, headers, subject_id) -> list[dict]:
    key_id, _ = keys.parse(headers["X-API-Key"])
    rows = graph.execute_query(query("testing/audit_list"), subject_id=subject_id, limit=1000).records
    return [r["entry"] for r in rows if r["entry"]["key_id"] == key_id]


def test_public_matches_enterprises_only(api):
    c, graph = api
    public = make_key(graph, "public")
    r = c.post("/v1/match", headers=public, json={"kind": "person", "properties": {"name": "刘建国"}})
    assert_error(r, 403, "forbidden", "kind")
    out = match(c, public, "enterprise", {"name": "郴州市恒基建材有限公司", "legal_representative": "陈志强"})
    assert out["candidates"][0]["subject"]["id"] == E01 and out["candidates"][0]["match"]
    assert "陈志强" not in str(out["candidates"][0]["explanation"])


def test_person_matches_are_audited_and_need_a_purpose_from_investigators(api):
    c, graph = api
    inv = make_key(graph, "investigator")
    body = {"kind": "person", "properties": {"name": "刘建国", "birth_date": B01}}
    assert_error(c.post("/v1/match", headers=inv, json=body), 422, "purpose_required", "X-Purpose")
    assert audit_entries(graph, inv, P01) == []
    r = c.post("/v1/match", headers={**inv, "X-Purpose": "case 17"}, json=body)
    assert r.status_code == 200, r.text
    entries = audit_entries(graph, inv, P01)
    assert [(e["endpoint"], e["purpose"], e["subject_kind"]) for e in entries] == [("POST /v1/match", "case 17",
                                                                                    "person")]
    # An enterprise match reads no person: no purpose needed, nothing audited.
    assert c.post("/v1/match", headers=inv, json={"kind": "enterprise", "properties": {"name": "恒基"}}).status_code == 200
    batch = c.post("/v1/match/batch", headers=inv, json={"queries": {"a": body, "b": {
        "kind": "enterprise", "properties": {"name": "恒基"}}}}).json()
    assert batch["responses"]["a"]["status"] == 422 and batch["responses"]["a"]["error"]["code"] == "purpose_required"
    assert batch["responses"]["b"]["status"] == 200
    c.post("/v1/match/batch", headers={**inv, "X-Purpose": "list 9"}, json={"queries": {"a": body}})
    assert [e["endpoint"] for e in audit_entries(graph, inv, P01)][:1] == ["POST /v1/match/batch"]


def test_a_department_sees_candidates_outside_its_region_masked(api):
    c, graph = api
    suxian = make_key(graph, "department", "431003")
    out = match(c, suxian, "person", {"name": "刘建国", "birth_date": B01})
    p01 = out["candidates"][0]
    assert p01["subject"]["masked"] and not p01["subject"]["in_scope"]
    assert p01["subject"]["id"] == "4328**********1350" and p01["subject"]["name"] == "刘*国"
    assert p01["score"] == 0.95 and ":" not in p01["explanation"].split(";", 1)[1]  # no reasons quoting names
    assert audit_entries(graph, suxian, P01) == []  # nothing person-level was shown
    p08 = match(c, suxian, "person", {"name": "王海涛"})["candidates"][0]
    assert p08["subject"]["id"] == P08 and p08["subject"]["in_scope"] and not p08["subject"]["masked"]
    assert len(audit_entries(graph, suxian, P08)) == 1


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "code", "field"), [
    ({"kind": "person", "properties": {}}, "invalid_request", "properties"),
    ({"kind": "person", "properties": {"birth_date": B01, "gender": "male"}}, "invalid_request", "properties"),
    ({"kind": "enterprise", "properties": {"name": "（）·"}}, "invalid_request", "properties.name"),
    ({"kind": "robot", "properties": {"name": "恒基"}}, "invalid_request", "kind"),
    ({"kind": "enterprise", "properties": {"name": "恒基"}, "threshold": 1.01}, "invalid_request", "threshold"),
    ({"kind": "enterprise", "properties": {"name": "恒基"}, "threshold": -1}, "invalid_request", "threshold"),
    ({"kind": "enterprise", "properties": {"name": "恒基"}, "limit": 0}, "invalid_request", "limit"),
    ({"kind": "enterprise", "properties": {"name": "恒基", "person_id": P01}}, "invalid_request", "properties.person_id"),
    ({"kind": "enterprise", "properties": {"name": "恒基", "nickname": "x"}}, "invalid_request", "properties.nickname"),
    ({"kind": "person", "properties": {"name": "刘建国", "birth_date": "19680412"}}, "invalid_request",
     "properties.birth_date"),
    ({"kind": "person", "properties": {"name": "刘建国", "gender": "m"}}, "invalid_request", "properties.gender"),
    ({"kind": "person", "properties": {"name": "刘建国", "region_code": "4310"}}, "invalid_region",
     "properties.region_code"),
    ({"kind": "person", "properties": {"name": "刘" * 201}}, "invalid_request", "properties.name"),
])
def test_bad_input_is_422_naming_the_field(api, admin, body, code, field):
    c, _ = api
    assert_error(c.post("/v1/match", headers=admin, json=body), 422, code, field)


def test_a_threshold_that_is_not_a_number_is_refused(api, admin):
    c, _ = api
    r = c.post("/v1/match", headers={**admin, "content-type": "application/json"},
               content=b'{"kind": "enterprise", "properties": {"name": "\\u6052\\u57fa"}, "threshold": NaN}')
    assert r.status_code == 422 and r.json()["error"]["field"] == "threshold", r.text


def test_passport_holder_matches_by_name(api, admin):
    c, _ = api
    out = match(c, admin, "person", {"name": "陈家辉", "birth_date": B01})
    p17 = candidate(out, P17)
    assert p17 is not None and set(p17["features"]) == {"name"}  # no birth date in a passport number


def test_each_way_of_finding_candidates(api, admin):
    c, _ = api
    # Only through the legal representative's name: no bigram, no id in common with E01 and E12.
    by_rep = match(c, admin, "enterprise", {"name": "湘江化工贸易", "legal_representative": "陈志强"}, limit=10)
    assert {E01, "91431021MA4LQ8C2XP"} <= {x["subject"]["id"] for x in by_rep["candidates"]}
    assert not any(x["match"] for x in by_rep["candidates"])
    # Only by birth date and region (the first 14 characters of the citizen id, old code 432801 too).
    by_birth = match(c, admin, "person", {"name": "赵钱孙", "birth_date": B01, "region_code": "431002"})
    assert [x["subject"]["id"] for x in by_birth["candidates"]] == [P01]
    assert by_birth["candidates"][0]["features"]["name"] == 0.0 and not by_birth["candidates"][0]["match"]
    # Only by pinyin: the characters differ, the reading is the same.
    by_pinyin = match(c, admin, "person", {"name": "王海桃"})
    assert candidate(by_pinyin, P08)["features"]["name"] == 0.85
    # Nothing found: an empty answer, not an error.
    none = match(c, admin, "person", {"name": "赵钱孙"})
    assert none["candidates"] == [] and none["matches"] == 0
