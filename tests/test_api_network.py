"""GET /v1/subjects/{id}/network on the demo bundle: hops, relations, dates, flags, pages, roles."""

from __future__ import annotations

import base64
import uuid

import pytest
from api_demo import (
    E01,
    E02,
    E03,
    E06,
    E11,
    P01,
    P02,
    P03,
    P04,
    P05,
    P06,
    P07,
    TODAY,
    admin,
    api,
    demo_app,
)
from api_helpers import assert_error, make_key

from graph_service.api.demo_ids import DEMO
from graph_service.api.models.network import Network
from graph_service.cypher import query
from graph_service.identifiers import uscc_check_char

P33 = "432801199109193954"  # 谢斌, E01's supervisor


def net(c, h, subject, **params):
    params.setdefault("as_of", TODAY)
    r = c.get(f"/v1/subjects/{subject}/network", headers=h, params=params)
    assert r.status_code == 200, r.text
    # The answer is serialised without the model (present.trusted_json): it must be exactly what
    # the model itself would make of it (every field, in order, with the model's types).
    assert Network.model_validate_json(r.content).model_dump_json(by_alias=True).encode() == r.content
    return r.json()


def ids(answer):
    return {n["id"] for n in answer["nodes"]}


def edges_of(answer, relation=None):
    return sorted((e["source"], e["target"], e.get("role") or e.get("ratio") or e.get("record_id"))
                  for e in answer["edges"] if relation is None or e["relation"] == relation)


def test_one_hop_today(api, admin):
    c, _ = api
    a = net(c, admin, E01)
    assert a["subject"] == f"enterprise:{E01}"
    assert ids(a) == {E01, P02, P04, P07, P05, P03, P33, P01, P06, E02}
    # Current roles: P02 legal representative and director since 2025-09-15; P01's roles ended then.
    assert edges_of(a, "role") == sorted([
        (f"person:{P02}", f"enterprise:{E01}", "legal_representative"), (f"person:{P02}", f"enterprise:{E01}", "director"),
        (f"person:{P04}", f"enterprise:{E01}", "director"), (f"person:{P07}", f"enterprise:{E01}", "director"),
        (f"person:{P05}", f"enterprise:{E01}", "senior_executive"),
        (f"person:{P03}", f"enterprise:{E01}", "registered_practitioner"),
        (f"person:{P33}", f"enterprise:{E01}", "supervisor")])
    assert edges_of(a, "shareholding") == sorted([
        (f"person:{P01}", f"enterprise:{E01}", 0.51), (f"person:{P06}", f"enterprise:{E01}", 0.34),
        (f"enterprise:{E01}", f"enterprise:{E02}", 0.7)])
    assert edges_of(a, "named_responsible") == sorted([
        (f"person:{P03}", f"enterprise:{E01}", "HN431000-2026-B0001"),
        (f"person:{P07}", f"enterprise:{E01}", "HN431000-2026-B0001")])
    assert all(e["current"] for e in a["edges"])
    by_id = {n["id"]: n for n in a["nodes"]}
    assert by_id[E01]["depth"] == 0 and all(n["depth"] == 1 for i, n in by_id.items() if i != E01)
    assert all(n["truncated"] == "depth" for i, n in by_id.items() if i != E01)
    assert a["next_cursor"] is None


def test_flags_carry_liabilities_and_records(api, admin):
    c, _ = api
    by_id = {n["id"]: n for n in net(c, admin, E01)["nodes"]}
    assert by_id[E01]["flags"]["blacklisted"] and by_id[E01]["flags"]["records_in_force"] == ["HN431000-2026-B0001"]
    assert "public_procurement_bid" in by_id[E01]["flags"]["restricted_actions"]
    # P01 was the legal representative on the misconduct day: liable. P02, appointed later, is not.
    assert by_id[P01]["flags"]["liable_records"] == ["HN431000-2026-B0001"] and by_id[P01]["flags"]["restricted"]
    assert by_id[P02]["flags"]["liabilities"] == 0 and not by_id[P02]["flags"]["restricted"]
    # P04 is a director not named: not reached. P05, senior executive, loses honours only.
    assert by_id[P04]["flags"]["measures"] == []
    assert by_id[P05]["flags"]["restricted_actions"] == ["honour_award"]


def test_as_of_the_misconduct_day_and_history(api, admin):
    c, _ = api
    then = net(c, admin, E01, as_of="2025-06-18")
    assert ids(then) == {E01, P01, P04, P07, P05, P03, P33, P06, E02}
    assert (f"person:{P01}", f"enterprise:{E01}", "legal_representative") in edges_of(then, "role")
    assert edges_of(then, "named_responsible") == []  # B0001 was decided on 2026-01-20
    # Nobody was liable yet.
    assert not any(n["flags"]["restricted"] for n in then["nodes"])

    hist = net(c, admin, E01, history="true")
    roles = {(e["source"], e["role"]): e for e in hist["edges"] if e["relation"] == "role"}
    assert roles[(f"person:{P01}", "legal_representative")]["end_on"] == "2025-09-15"
    assert not roles[(f"person:{P01}", "legal_representative")]["current"]
    assert roles[(f"person:{P02}", "legal_representative")]["current"]
    assert len(roles) == 9


def test_relation_filter(api, admin):
    c, _ = api
    a = net(c, admin, E01, relations="shareholding")
    assert a["relations"] == ["shareholding"]
    assert ids(a) == {E01, P01, P06, E02}
    assert {e["type"] for e in a["edges"]} == {"HOLDS_SHARES"}
    both = net(c, admin, E01, relations=["named_responsible", "shareholding"])
    assert both["relations"] == ["shareholding", "named_responsible"]
    assert ids(both) == {E01, P01, P06, E02, P03, P07}


def test_two_hops_from_a_person(api, admin):
    c, _ = api
    a = net(c, admin, P01, depth=2, relations="role,shareholding")
    by_id = {n["id"]: n for n in a["nodes"]}
    # Today P01 holds 51 % of E01 and is legal representative of E06 and E11 (and holds 60 % of E06).
    assert {i for i, n in by_id.items() if n["depth"] == 1} == {E01, E06, E11}
    assert by_id[E01]["flags"]["blacklisted"]
    assert {P02, P04, E02} <= {i for i, n in by_id.items() if n["depth"] == 2}


def test_pages_of_a_subjects_links(api, admin):
    c, _ = api
    seen, cursor, pages = [], None, 0
    while True:
        params = {"relations": "role", "limit": 3}
        if cursor:
            params["cursor"] = cursor
        a = net(c, admin, E01, **params)
        page = [e["id"] for e in a["edges"]]
        assert len(page) <= 3
        seen += page
        pages += 1
        root = next(n for n in a["nodes"] if n["id"] == E01)
        cursor = a["next_cursor"]
        if cursor is None:
            assert root["more"] == {}
            break
        assert root["more"]["role"] == 7 - len(seen)
    assert pages == 3 and len(seen) == len(set(seen)) == 7


def test_a_hub_stays_usable(neo4j_driver, neo4j_conn, tmp_path):
    """A hub with 40 persons in roles: its own links come by pages; further out the fan-out cap
    keeps the answer small and says what it left out."""
    from graph_service.identifiers import ric_check_char
    from loaders import load_bundle

    hub = "91110101MA0" + "HUB001"
    hub += uscc_check_char(hub)
    persons = []
    for i in range(40):
        body = f"11010119800101{i:03d}"
        persons.append(body + ric_check_char(body))
    folder = tmp_path / "hub"
    folder.mkdir()
    (folder / "enterprises.csv").write_text(
        "uscc,name,kind,region_code,status,established_on,registered_capital,industry,address\n"
        f"{hub},北京枢纽科技有限公司,enterprise,110101,active,2015-01-01,100.00,6510,北京市东城区1号\n", encoding="utf-8")
    (folder / "persons.csv").write_text(
        "person_id,id_type,name,region_code\n" + "".join(f"{p},resident_id,测试{i},110101\n" for i, p in enumerate(persons)),
        encoding="utf-8")
    (folder / "roles.csv").write_text(
        "person_id,uscc,role,title,start_on,end_on\n"
        + "".join(f"{p},{hub},senior_executive,经理,2020-01-01,\n" for p in persons), encoding="utf-8")
    from graph_service import settings as gs

    with demo_app(neo4j_driver, neo4j_conn, network_fanout=5) as c:
        result = load_bundle(neo4j_driver, folder)
        assert not result.rejected, result.rejections[:2]
        try:
            h = make_key(neo4j_driver, "admin")
            first = net(c, h, hub, limit=15)
            assert len(first["edges"]) == 15
            assert first["nodes"][0]["more"] == {"role": 25} and first["truncated"]
            rest = net(c, h, hub, limit=15, cursor=first["next_cursor"])
            last = net(c, h, hub, limit=15, cursor=rest["next_cursor"])
            assert last["next_cursor"] is None
            assert len({e["id"] for a in (first, rest, last) for e in a["edges"]}) == 40
            # From one of the persons, two hops: the hub's 39 other links are cut to the fan-out.
            out = net(c, h, persons[0], depth=2)
            hub_node = next(n for n in out["nodes"] if n["id"] == hub)
            assert hub_node["truncated"] == "fanout" and hub_node["more"] == {"role": 35}
            # The person's own link is the first of the hub's by key: 4 others are read.
            assert len(out["nodes"]) == 1 + 1 + 4
        finally:
            gs.neo4j_settings.cache_clear()


def test_large_levels_read_in_two_halves_give_the_same_answers(neo4j_driver, neo4j_conn, monkeypatch):
    """A large level, and the flags of many nodes, are read in two halves at once (one beside the
    transaction): forced on every level of the demo graph, with a node cap small enough to cut
    answers, every answer is the one a single statement gives, caps, pages and flags included."""
    from graph_service.analysis import network as rel

    asks = [(s, {"depth": d}) for s in (E01, E03, E06, P01, P02, P05) for d in (1, 2, 3)]
    asks += [(E01, {"depth": 3, "limit": 2}), (P01, {"depth": 2, "history": "true"}),
             (E01, {"depth": 2, "relations": "role,named_responsible"})]
    with demo_app(neo4j_driver, neo4j_conn, network_max_nodes=7) as c:
        h = make_key(neo4j_driver, "admin")
        whole = [net(c, h, s, **p) for s, p in asks]
        assert any(a["truncated"] for a in whole) and any(n["flags"]["flagged"] or n["flags"]["blacklisted"]
                                                          for a in whole for n in a["nodes"])
        beside, calls = rel.beside, []

        def counted(graph):
            run = beside(graph)

            async def counting(name, params):
                calls.append(name)
                return await run(name, params)
            return counting

        monkeypatch.setattr(rel, "beside", counted)
        monkeypatch.setattr(rel, "SPLIT_FRONTIER", 1)
        monkeypatch.setattr(rel, "SPLIT_FLAGS", 1)
        halves = [net(c, h, s, **p) for s, p in asks]
    assert {"network/level", "network/flags"} <= set(calls)
    assert halves == whole


def test_public_sees_enterprises_with_persons_masked(api):
    c, graph = api
    h = make_key(graph, "public")
    assert_error(c.get(f"/v1/subjects/{P01}/network", headers=h), 404, "not_found", "id")  # as an unknown id
    a = net(c, h, E01, relations="role", limit=3)
    persons = [n for n in a["nodes"] if n["kind"] == "person"]
    assert persons and all(n["masked"] and n["flags"] is None and "*" in n["id"] for n in persons)
    assert len({n["key"] for n in persons}) == len(persons)
    for e in a["edges"]:
        assert not any(p in e["id"] for p in (P02, P03, P04, P05, P07, P33))
    # The cursor of a masked answer carries an offset, not a key (which starts with a person id).
    raw = base64.urlsafe_b64decode(a["next_cursor"] + "==").decode()
    assert "4328" not in raw and '"role":3' in raw
    enterprise = next(n for n in a["nodes"] if n["id"] == E01)
    assert enterprise["flags"]["blacklisted"]


def test_department_sees_its_region(api):
    c, graph = api
    beihu = make_key(graph, "department", "431002")
    assert net(c, beihu, E01)["subject"] == f"enterprise:{E01}"
    assert_error(c.get(f"/v1/subjects/{E03}/network", headers=beihu), 404, "not_found", "id")
    city = make_key(graph, "department", "431000")
    assert net(c, city, E03, depth=1)["subject"] == f"enterprise:{E03}"


def test_investigator_states_a_purpose_and_is_audited(api):
    c, graph = api
    h = make_key(graph, "investigator")
    assert_error(c.get(f"/v1/subjects/{E01}/network", headers=h), 422, "purpose_required", "X-Purpose")
    r = c.get(f"/v1/subjects/{E01}/network", headers={**h, "X-Purpose": "case CZ-2026-9"})
    assert r.status_code == 200
    rows = graph.execute_query(query("testing/audit_list"), subject_id=E01, limit=100).records
    assert any(r["entry"]["purpose"] == "case CZ-2026-9" and r["entry"]["endpoint"].endswith("/network")
               for r in rows)


def test_invalid_requests(api, admin):
    c, _ = api
    assert_error(c.get(f"/v1/subjects/{E01}/network?depth=5", headers=admin), 422, "invalid_request", "depth")
    assert_error(c.get(f"/v1/subjects/{E01}/network?relations=friend", headers=admin), 422, "invalid_request",
                 "relations")
    assert_error(c.get(f"/v1/subjects/{E01}/network?cursor=xyz", headers=admin), 422, "invalid_cursor", "cursor")
    err = assert_error(c.get(f"/v1/subjects/{E01[:-1]}A/network", headers=admin), 422, "invalid_uscc", "id")
    assert "'R'" in err["message"]
    unknown = "91431002MA4L2HJ44" + uscc_check_char("91431002MA4L2HJ44")
    assert_error(c.get(f"/v1/subjects/{unknown}/network", headers=admin), 404, "not_found", "id")
    # An all-digit id could be a citizen ID or a USCC: the error says why it is neither.
    assert_error(c.get(f"/v1/subjects/{P01[:-1]}1/network", headers=admin), 422, "invalid_subject_id", "id")
    assert_error(c.get(f"/v1/subjects/{E01}/network"), 401, "unauthorized", "X-API-Key")


def test_audited_only_when_the_answer_holds_persons(api):
    """The audit entry is started when the walk finds a person: an answer without persons (H2's
    holdings in 2000, before any) leaves none; one that reaches persons has exactly one."""
    c, graph = api
    purpose = f"case {uuid.uuid4()}"  # the demo graph and its audit log outlive a test run
    h = {**make_key(graph, "investigator"), "X-Purpose": purpose}
    h2 = DEMO["H2"]

    def entries():
        rows = graph.execute_query(query("testing/audit_list"), subject_id=h2, limit=1000).records
        return [r for r in rows if r["entry"]["purpose"] == purpose]

    no_persons = net(c, h, h2, depth=2, relations="shareholding", as_of="2000-01-01")
    assert [n["kind"] for n in no_persons["nodes"]] == ["enterprise"]
    assert entries() == []
    two_hops = net(c, h, h2, depth=2, relations="shareholding")
    assert sum(n["kind"] == "person" for n in two_hops["nodes"]) >= 2
    assert len(entries()) == 1
