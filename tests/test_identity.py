"""One identity per subject (issue 17 point 4; docs/search.md, "Identity"), on the demo bundle
with a few rows more (written here, the shipped demo is left as it is):

- a person given by a first-generation 15-digit citizen ID (何旧民), in persons.csv, roles.csv and
  records.csv, found by either form;
- a second 刘建国 born the same day as demo P01, one digit apart, with a court record of his own:
  a candidate duplicate, judged the same person, then the judgement undone;
- a second 郴州市恒基建材有限公司 at E01's address under another USCC: a candidate duplicate, judged
  different.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from api_demo import DEMO_DIR, E01, E02, E04, E09, P01, P02, TODAY
from api_helpers import assert_error, client, make_key

from graph_service import settings as settings_module
from graph_service.cypher import query
from graph_service.identifiers import upgrade_resident_id_15

LEGACY_15 = "432823650712031"
LEGACY_18 = upgrade_resident_id_15(LEGACY_15)  # 432823196507120317
TWIN = "432801196804121377"  # 刘建国 like P01 (432801196804121350), born 1968-04-12, one digit apart
E01_TWIN = "91431002MA4L2HJ45P"  # 郴州市恒基建材有限公司 at E01's address
RECORDS_HEADER = ("record_id,subject_kind,subject_id,kind,category,severity,authority,authority_region,document_no,"
                  "misconduct_on,decided_on,published_on,valid_until,legal_basis,responsible_person_ids")
COURT = "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》"

EXTRA = {
    "persons.csv": [f"{LEGACY_15},resident_id,何旧民,431023", f"{TWIN},resident_id,刘建国,431002"],
    "enterprises.csv": [f"{E01_TWIN},郴州市恒基建材有限公司,enterprise,431002,active,2012-03-01,5000.00,3021,"
                        "湖南省郴州市北湖区五岭大道168号"],
    "roles.csv": [f"{LEGACY_15},{E04},supervisor,监事,2016-06-01,", f"{TWIN},{E09},director,董事,2020-01-01,",
                  f"{P02},{E01_TWIN},legal_representative,执行董事,2025-09-15,"],
    "records.csv": [
        f"ID-2026-B0101,person,{LEGACY_15},black,defy_judicial_admin,serious,永兴县人民法院,431023,"
        f"（2026）湘1023执901号,2026-01-10,2026-02-20,2026-02-21,2028-02-19,{COURT},",
        f"ID-2026-B0102,person,{TWIN},black,defy_judicial_admin,serious,郴州市北湖区人民法院,431002,"
        f"（2026）湘1002执77号,2026-02-01,2026-03-02,2026-03-03,2028-03-01,{COURT},",
    ],
}
# Kept out of graph comparisons: what reads and judgements add beside the facts (keys, audit, checks,
# the judgements themselves) and the count of loads.
NOT_COMPARED = {"ApiKey", "AuditEntry", "Check", "Resolution", "Load"}


def write_identity_bundle(root: Path) -> Path:
    bundle = root / "identity-bundle"
    shutil.copytree(DEMO_DIR, bundle)
    for name, rows in EXTRA.items():
        with (bundle / name).open("a", encoding="utf-8", newline="") as f:
            f.write("".join(row + "\n" for row in rows))
    return bundle


@pytest.fixture(scope="module")
def world(neo4j_driver, neo4j_conn, tmp_path_factory):
    """The bundle loaded into an emptied graph, an app on it and keys; the graph is emptied after,
    so the demo modules reload theirs."""
    from loaders import load_bundle

    bundle = write_identity_bundle(tmp_path_factory.mktemp("identity"))
    with pytest.MonkeyPatch.context() as mp:
        for k in ("uri", "username", "password", "database"):
            mp.setenv(f"NEO4J_{k.upper()}", getattr(neo4j_conn, k))
        settings_module.neo4j_settings.cache_clear()
        neo4j_driver.execute_query(query("testing/clear_graph"), database_=neo4j_conn.database)
        result = load_bundle(neo4j_driver, bundle)
        assert not result.rejected, result.rejections
        try:
            with client() as c:
                keys = {role: make_key(neo4j_driver, role) for role in ("admin", "investigator", "public")}
                yield {"client": c, "driver": neo4j_driver, "bundle": bundle, "keys": keys,
                       "database": neo4j_conn.database}
        finally:
            neo4j_driver.execute_query(query("testing/clear_graph"), database_=neo4j_conn.database)
            settings_module.neo4j_settings.cache_clear()


def _admin(world):
    return world["keys"]["admin"]


def _check(world, subject_id, action="flight", key="admin"):
    return world["client"].post("/v1/checks", headers=world["keys"][key],
                                json={"subject_id": subject_id, "action": action, "as_of": TODAY})


def _dump(world) -> tuple[list, list]:
    """Every node and relationship but those NOT_COMPARED, as sorted comparable rows."""
    drv = world["driver"]
    nodes = [r for r in drv.execute_query(query("testing/graph_dump_nodes")).records
             if not NOT_COMPARED & set(r["labels"])]
    rels = drv.execute_query(query("testing/graph_dump_relationships")).records
    node_rows = sorted(repr((sorted(r["labels"]), sorted((k, repr(v)) for k, v in r["props"].items())))
                       for r in nodes)
    rel_rows = sorted(repr((r["type"], r["src"], r["dst"], sorted((k, repr(v)) for k, v in r["props"].items())))
                      for r in rels if r["src"] is not None and r["dst"] is not None)
    return node_rows, rel_rows


# --- first-generation 15-digit citizen ids ---------------------------------------------------------

def test_a_15_digit_id_is_stored_as_its_18_digit_form(world):
    c, h = world["client"], _admin(world)
    by_18 = c.get(f"/v1/persons/{LEGACY_18}", headers=h)
    by_15 = c.get(f"/v1/persons/{LEGACY_15}", headers=h)
    assert by_18.status_code == by_15.status_code == 200, by_15.text
    assert by_18.json() == by_15.json()
    body = by_15.json()
    assert body["person_id"] == LEGACY_18 and body["id_15"] == LEGACY_15
    assert [(r["enterprise"]["uscc"], r["role"]) for r in body["roles"]] == [(E04, "supervisor")]
    assert [r["record_id"] for r in body["records"]] == ["ID-2026-B0101"]
    assert body["records"][0]["subject"]["id"] == LEGACY_18


def test_a_check_by_the_15_digit_form_answers_for_the_person(world):
    by_15, by_18 = _check(world, LEGACY_15), _check(world, LEGACY_18)
    assert by_15.status_code == 200, by_15.text
    r15, r18 = by_15.json(), by_18.json()
    assert r15["subject_id"] == LEGACY_18 and r15["subject_kind"] == "person"
    assert r15["decision"] == "restricted" == r18["decision"]
    assert {b["record_id"] for b in r15["basis"]} == {"ID-2026-B0101"} == {b["record_id"] for b in r18["basis"]}
    batch = world["client"].post("/v1/checks/batch", headers=_admin(world), json={"queries": {
        "old": {"subject_id": LEGACY_15, "action": "flight", "as_of": TODAY},
        "new": {"subject_id": LEGACY_18, "action": "flight", "as_of": TODAY}}}).json()["responses"]
    assert batch["old"]["result"]["decision"] == batch["new"]["result"]["decision"] == "restricted"
    assert batch["old"]["result"]["subject_id"] == LEGACY_18


def test_other_reads_take_the_15_digit_form(world):
    c, h = world["client"], _admin(world)
    credit = c.get(f"/v1/persons/{LEGACY_15}/credit", headers=h, params={"as_of": TODAY})
    assert credit.status_code == 200, credit.text
    assert {lb["record"]["record_id"] for lb in credit.json()["liabilities"]} == {"ID-2026-B0101"}
    network = c.get(f"/v1/subjects/{LEGACY_15}/network", headers=h)
    assert network.status_code == 200, network.text
    assert LEGACY_18 in network.text and LEGACY_15 not in network.text.replace('"id_15"', "")


def test_a_malformed_15_digit_id_is_refused_naming_the_field(world):
    c, h = world["client"], _admin(world)
    err = assert_error(_check(world, "432823651312031"), 422, "invalid_person_id", "subject_id")
    assert "birth date '19651312'" in err["message"]
    err = assert_error(c.get("/v1/persons/432823651312031", headers=h), 422, "invalid_person_id", "person_id")
    assert "is not a real date" in err["message"]


# --- duplicates ---------------------------------------------------------------------------------

def _duplicates(world, **params):
    return world["client"].get("/v1/analytics/duplicates", headers=_admin(world),
                               params={"region": "431000", **params})


def _pairs(body) -> dict[tuple[str, str], dict]:
    return {tuple(s["id"] for s in p["subjects"]): p for p in body["pairs"]}


def test_duplicates_list_the_planted_pairs_with_their_reasons(world):
    resp = _duplicates(world)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    pairs = _pairs(body)
    person = pairs[(P01, TWIN)]
    assert person["kind"] == "person"
    assert [r["feature"] for r in person["reasons"]] == ["same_name_and_birth_date", "same_sex", "same_address_code",
                                                          "id_near"]
    assert person["score"] == pytest.approx(0.85)
    assert person["subjects"][0]["birth_date"] == "1968-04-12"
    company = pairs[(E01, E01_TWIN)]
    assert company["kind"] == "enterprise"
    assert {r["feature"] for r in company["reasons"]} == {"same_name_and_address", "shared_legal_representative",
                                                          "same_established_on", "same_region"}
    assert company["score"] == pytest.approx(0.85)
    assert all(0 <= p["score"] <= 1 for p in body["pairs"])
    assert [p["score"] for p in body["pairs"]] == sorted((p["score"] for p in body["pairs"]), reverse=True)
    assert body["pair_count"] == len(body["pairs"]) and body["truncated"] is False


def test_duplicates_pages_kinds_and_roles(world):
    c = world["client"]
    first = _duplicates(world, limit=1).json()
    assert len(first["pairs"]) == 1 and first["next_cursor"]
    second = _duplicates(world, limit=1, cursor=first["next_cursor"]).json()
    assert second["pairs"] != first["pairs"]
    only = _duplicates(world, kind="enterprise").json()
    assert {p["kind"] for p in only["pairs"]} == {"enterprise"}
    # Beihu holds both pairs; Zixing neither.
    assert _pairs(_duplicates(world, region="431002").json()).keys() >= {(P01, TWIN), (E01, E01_TWIN)}
    assert _duplicates(world, region="431081").json()["pairs"] == []
    assert_error(c.get("/v1/analytics/duplicates", headers=world["keys"]["public"], params={"region": "431000"}),
                 403, "forbidden")
    investigator = world["keys"]["investigator"]
    assert_error(c.get("/v1/analytics/duplicates", headers=investigator, params={"region": "431000"}),
                 422, "purpose_required", "X-Purpose")
    ok = c.get("/v1/analytics/duplicates", headers={**investigator, "X-Purpose": "dedup-2026-11"},
               params={"region": "431000"})
    assert ok.status_code == 200
    assert c.get("/v1/analytics/duplicates", headers=investigator,
                 params={"region": "431000", "kind": "enterprise"}).status_code == 200
    assert_error(_duplicates(world, region="4310"), 422, "invalid_region", "region")
    assert_error(_duplicates(world, limit=0), 422, "invalid_request", "limit")


# --- judgements: bad input --------------------------------------------------------------------------

def _judge(world, ids, judgement="same", reason="户籍核查", key="admin"):
    return world["client"].post("/v1/resolutions", headers=world["keys"][key],
                                json={"subject_ids": ids, "judgement": judgement, "reason": reason})


def test_bad_judgements_are_refused(world):
    assert_error(_judge(world, [P01, P01]), 422, "invalid_judgement", "subject_ids")
    # The 15-digit form and the 18-digit form name one person.
    assert_error(_judge(world, [LEGACY_15, LEGACY_18]), 422, "invalid_judgement", "subject_ids")
    unknown = "432801196804121393"
    assert_error(_judge(world, [P01, unknown]), 404, "not_found", "subject_ids[1]")
    assert_error(_judge(world, [P01, E01]), 422, "invalid_judgement", "subject_ids")
    assert_error(_judge(world, [P01, TWIN], judgement="maybe"), 422, "invalid_request", "judgement")
    assert_error(_judge(world, [P01, TWIN], reason=""), 422, "invalid_request", "reason")
    assert_error(_judge(world, [P01]), 422, "invalid_request", "subject_ids")
    assert_error(_judge(world, [P01, "43280119680412137X"]), 422, "invalid_subject_id", "subject_ids[1]")
    assert_error(_judge(world, [P01, TWIN], key="investigator"), 403, "forbidden")
    assert_error(_judge(world, [P01, TWIN], key="public"), 403, "forbidden")
    assert world["client"].get("/v1/resolutions", headers=_admin(world)).json()["items"] == []


# --- judgements: different, same, undo ----------------------------------------------------------------

def test_a_different_judgement_takes_the_pair_off_the_list(world):
    resp = _judge(world, [E01_TWIN, E01], "different", "两家企业，法定代表人相同但股东不同")
    assert resp.status_code == 201, resp.text
    res = resp.json()
    assert res["judgement"] == "different" and res["status"] == "active" and "canonical_id" not in res
    assert (E01, E01_TWIN) not in _pairs(_duplicates(world).json())
    assert_error(_judge(world, [E01, E01_TWIN], "same"), 409, "already_judged", "subject_ids")
    undone = world["client"].post(f"/v1/resolutions/{res['resolution_id']}/undo", headers=_admin(world),
                                  json={"reason": "重新核查"})
    assert undone.status_code == 200, undone.text
    assert undone.json()["status"] == "undone" and undone.json()["undo_reason"] == "重新核查"
    assert (E01, E01_TWIN) in _pairs(_duplicates(world).json())
    assert_error(world["client"].post(f"/v1/resolutions/{res['resolution_id']}/undo", headers=_admin(world)),
                 409, "already_undone", "resolution_id")
    again = _judge(world, [E01, E01_TWIN], "different", "复核：两家企业")
    assert again.status_code == 201
    history = world["client"].get("/v1/resolutions", headers=_admin(world), params={"subject_id": E01}).json()
    assert [(r["judgement"], r["status"]) for r in history["items"]] == [("different", "active"),
                                                                         ("different", "undone")]


def test_a_same_judgement_merges_and_its_undo_restores_the_graph(world):
    c, h = world["client"], _admin(world)
    before = _dump(world)
    p01_before = _check(world, P01).json()
    twin_before = _check(world, TWIN).json()
    assert twin_before["decision"] == "restricted" and twin_before["subject_id"] == TWIN
    assert "ID-2026-B0102" not in {b["record_id"] for b in p01_before["basis"]}

    resp = _judge(world, [TWIN, P01], "same", "户籍核查：同一人，432801196804121377 为录入错误")
    assert resp.status_code == 201, resp.text
    res = resp.json()
    # The canonical one: persons of one kind of id, the smaller id.
    assert (res["canonical_id"], res["merged_id"]) == (P01, TWIN)
    assert "ID-2026-B0102" in res["record_ids"]
    # The merged person's court record now reaches where P01 acts (E06 in Changsha): new notifications.
    assert "ID-2026-B0102|430104" in res["notifications_created"]

    # A check of the merged id answers for the canonical person, with its measures.
    after = _check(world, TWIN).json()
    assert after["subject_id"] == P01 and after["merged_from"] == TWIN
    assert after["decision"] == "restricted"
    assert "ID-2026-B0102" in {b["record_id"] for b in after["basis"]}
    assert _check(world, P01).json()["basis"] == after["basis"]
    batch = c.post("/v1/checks/batch", headers=h, json={"queries": {
        "q": {"subject_id": TWIN, "action": "flight", "as_of": TODAY}}}).json()["responses"]["q"]["result"]
    assert batch["subject_id"] == P01 and batch["merged_from"] == TWIN

    # Reads of the merged id are redirected to the canonical one's.
    moved = c.get(f"/v1/persons/{TWIN}", headers=h, params={"as_of": TODAY}, follow_redirects=False)
    assert_error(moved, 308, "subject_merged", "person_id")
    assert moved.headers["location"] == f"/v1/persons/{P01}?as_of={TODAY}"
    moved = c.get(f"/v1/persons/{TWIN}/credit", headers=h, follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == f"/v1/persons/{P01}/credit"
    moved = c.get(f"/v1/subjects/{TWIN}/network", headers=h, follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == f"/v1/subjects/{P01}/network"
    moved = c.get("/v1/paths", headers=h, params={"from": TWIN, "to": E01}, follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == f"/v1/paths?from={P01}&to={E01}"
    person = c.get(f"/v1/persons/{TWIN}", headers=h).json()  # the client follows the 308
    assert person["person_id"] == P01 and person["merged_from"] == [TWIN]
    assert (E09, "director") in {(r["enterprise"]["uscc"], r["role"]) for r in person["roles"]}
    record = next(r for r in person["records"] if r["record_id"] == "ID-2026-B0102")
    assert record["subject"]["id"] == P01 and record["reported_subject_id"] == TWIN
    # Liabilities and lists follow.
    credit = c.get(f"/v1/persons/{P01}/credit", headers=h, params={"as_of": TODAY}).json()
    assert "ID-2026-B0102" in {lb["record"]["record_id"] for lb in credit["liabilities"]}
    black = c.get("/v1/lists/black", headers=h, params={"as_of": TODAY, "limit": 1000}).json()["items"]
    assert {r["subject_id"] for r in black if r["record_id"] == "ID-2026-B0102"} == {P01}
    assert (P01, TWIN) not in _pairs(_duplicates(world).json())
    assert_error(_judge(world, [P01, TWIN], "different"), 409, "already_same", "subject_ids")

    # A reload of the same bundle keeps the merge and writes nothing.
    merged = _dump(world)
    from loaders import load_bundle

    assert not load_bundle(world["driver"], world["bundle"]).rejected
    assert _dump(world) == merged
    assert c.get(f"/v1/persons/{TWIN}", headers=h, follow_redirects=False).status_code == 308
    assert _check(world, TWIN).json()["subject_id"] == P01

    undone = c.post(f"/v1/resolutions/{res['resolution_id']}/undo", headers=h, json={"reason": "复函撤回"})
    assert undone.status_code == 200, undone.text
    assert undone.json()["status"] == "undone"
    assert undone.json()["notifications_dropped"] == len(res["notifications_created"])
    assert _dump(world) == before
    restored = _check(world, TWIN).json()
    assert restored["subject_id"] == TWIN and "merged_from" not in restored
    assert restored["basis"] == twin_before["basis"]
    assert _check(world, P01).json()["basis"] == p01_before["basis"]
    assert c.get(f"/v1/persons/{TWIN}", headers=h, follow_redirects=False).status_code == 200
    assert (P01, TWIN) in _pairs(_duplicates(world).json())
    kept = c.get(f"/v1/resolutions/{res['resolution_id']}", headers=h).json()
    assert kept["status"] == "undone" and kept["undone_by"]


def test_facts_loaded_for_a_merged_id_go_back_with_the_undo(world, tmp_path):
    c, h = world["client"], _admin(world)
    res = _judge(world, [P01, TWIN], "same", "同一人").json()
    from loader_bundles import write_bundle

    from loaders import load_bundle

    later = write_bundle(tmp_path, "later", roles="person_id,uscc,role,title,start_on,end_on\n"
                                                  f"{TWIN},{E02},supervisor,监事,2021-05-01,\n")
    assert not load_bundle(world["driver"], later).rejected
    person = c.get(f"/v1/persons/{P01}", headers=h).json()
    assert (E02, "supervisor") in {(r["enterprise"]["uscc"], r["role"]) for r in person["roles"]}
    assert c.post(f"/v1/resolutions/{res['resolution_id']}/undo", headers=h).status_code == 200
    twin = c.get(f"/v1/persons/{TWIN}", headers=h).json()
    assert {(r["enterprise"]["uscc"], r["role"]) for r in twin["roles"]} == {(E09, "director"), (E02, "supervisor")}
    person = c.get(f"/v1/persons/{P01}", headers=h).json()
    assert (E02, "supervisor") not in {(r["enterprise"]["uscc"], r["role"]) for r in person["roles"]}


def test_chained_judgements_undo_in_either_order(world):
    """TWIN into P01, then P01 into P02's identity (or P02 into P01's): undoing the first judgement
    before the second still restores the graph exactly."""
    c, h = world["client"], _admin(world)
    before = _dump(world)
    first = _judge(world, [P01, TWIN], "same", "同一人").json()
    second = _judge(world, [TWIN, P02], "same", "测试：同一人").json()  # TWIN names P01's identity now
    assert {second["canonical_id"], second["merged_id"]} == {P01, P02}
    canonical = second["canonical_id"]
    assert _check(world, TWIN).json()["subject_id"] == canonical
    assert c.post(f"/v1/resolutions/{first['resolution_id']}/undo", headers=h).status_code == 200
    assert _check(world, TWIN).json()["subject_id"] == TWIN
    assert c.post(f"/v1/resolutions/{second['resolution_id']}/undo", headers=h).status_code == 200
    assert _dump(world) == before
