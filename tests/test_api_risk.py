"""GET /v1/subjects/{id}/risk on the demo bundle: own records, liabilities, risky parties with paths."""

from __future__ import annotations

import pytest
from api_demo import E01, E03, E15, H1, H2, P01, P03, P05, P07, P08, P09, P10, P11, TODAY, admin, api, demo_app
from api_helpers import assert_error, make_key

P24 = "43282719860130159X"  # E15's legal representative on the misconduct day of B0009


def risk(c, h, subject, **params):
    params.setdefault("as_of", TODAY)
    r = c.get(f"/v1/subjects/{subject}/risk", headers=h, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def parties(answer):
    return {p["node"]["id"]: (p["node"]["depth"], p["reasons"]) for p in answer["parties"]}


def test_court_debtor_and_the_persons_around_it(api, admin):
    c, _ = api
    a = risk(c, admin, E03, depth=1)
    assert [(r["record_id"], r["in_force"]) for r in a["records"]] == [("HN431003-2026-B0002", True)]
    assert sorted(x["rule_id"] for x in a["liabilities"]) == ["black_enterprise_self", "court_enterprise_self"]
    assert a["subject"]["flags"]["blacklisted"]
    # The current legal representative (P08) and actual controller (P10) are restricted as court-listed
    # holders; the former one (P09) as the legal representative of the misconduct day. H2 (20 %) and the
    # supervisor carry nothing.
    assert parties(a) == {P08: (1, ["liable"]), P09: (1, ["liable"]), P10: (1, ["liable"])}
    p08 = next(p for p in a["parties"] if p["node"]["id"] == P08)
    assert p08["path"]["nodes"] == [f"enterprise:{E03}", f"person:{P08}"]
    assert p08["path"]["edges"][0]["role"] == "legal_representative"


def test_a_blacklisted_party_two_holdings_away(api, admin):
    c, _ = api
    a = risk(c, admin, H1, depth=2)
    assert a["records"] == [] and a["liabilities"] == []
    assert parties(a) == {E03: (2, ["black_record", "liable"])}
    path = a["parties"][0]["path"]
    assert path["nodes"] == [f"enterprise:{H1}", f"enterprise:{H2}", f"enterprise:{E03}"]
    assert [(e["type"], e["ratio"]) for e in path["edges"]] == [("HOLDS_SHARES", 0.6), ("HOLDS_SHARES", 0.2)]
    deeper = risk(c, admin, H1, depth=3)
    assert parties(deeper) == {E03: (2, ["black_record", "liable"]), P08: (3, ["liable"]), P09: (3, ["liable"]),
                               P10: (3, ["liable"])}


def test_blacklisted_enterprise_and_its_people(api, admin):
    c, _ = api
    a = risk(c, admin, E01, depth=1)
    assert [r["record_id"] for r in a["records"]] == ["HN431000-2026-B0001"]
    assert a["records"][0]["responsible"][0]["person_id"] in (P03, P07)
    # P01 (legal representative on the misconduct day, 51 %), P03 and P07 (named), P05 (senior executive:
    # honours only) are bound; P02, appointed later, and P04, a director not named, are not.
    assert parties(a) == {P01: (1, ["liable"]), P03: (1, ["liable"]), P07: (1, ["liable"]), P05: (1, ["liable"])}


def test_parties_in_pages(api, admin):
    c, _ = api
    first = risk(c, admin, H1, depth=3, limit=2)
    assert list(parties(first)) == [E03, P10] and first["next_cursor"]
    second = risk(c, admin, H1, depth=3, limit=2, cursor=first["next_cursor"])
    assert list(parties(second)) == [P09, P08] and second["next_cursor"] is None
    assert_error(c.get(f"/v1/subjects/{H1}/risk?cursor=abc", headers=admin), 422, "invalid_cursor", "cursor")


def test_as_of_an_expired_record(api, admin):
    c, _ = api
    then = risk(c, admin, E15, depth=1, as_of="2024-01-01")
    assert [(r["record_id"], r["in_force"]) for r in then["records"]] == [("HN431025-2022-B0009", True)]
    assert [x["rule_id"] for x in then["liabilities"]] == ["black_enterprise_self"]
    assert parties(then) == {P24: (1, ["liable"])}
    now = risk(c, admin, E15, depth=1)
    assert [(r["record_id"], r["in_force"]) for r in now["records"]] == [("HN431025-2022-B0009", False)]
    assert now["liabilities"] == [] and now["parties"] == []


def test_a_listed_person(api, admin):
    c, _ = api
    a = risk(c, admin, P11, depth=1)
    assert [r["record_id"] for r in a["records"]] == ["HN431023-2026-B0003"]
    assert {x["rule_id"] for x in a["liabilities"]} == {"black_person_self", "court_person_self"}


def test_roles(api):
    c, graph = api
    public = make_key(graph, "public")
    assert_error(c.get(f"/v1/subjects/{P11}/risk", headers=public), 404, "not_found", "id")  # as an unknown id
    a = risk(c, public, H1, depth=3)
    assert parties(a) == {E03: (2, ["black_record", "liable"])}  # no person parties for the public
    e01 = risk(c, public, E01, depth=1)
    assert e01["parties"] == []
    assert all(p["masked"] and "*" in p["person_id"] for p in e01["records"][0]["responsible"])
    suxian = make_key(graph, "department", "431003")
    assert risk(c, suxian, E03, depth=1)["subject"]["id"] == E03
    assert_error(c.get(f"/v1/subjects/{E01}/risk", headers=suxian), 404, "not_found", "id")
    investigator = make_key(graph, "investigator")
    assert_error(c.get(f"/v1/subjects/{E03}/risk", headers=investigator), 422, "purpose_required", "X-Purpose")
    assert risk(c, {**investigator, "X-Purpose": "inspection 2026-11"}, E03, depth=1)["parties"]
    admin = make_key(graph, "admin")
    assert_error(c.get(f"/v1/subjects/{E03}/risk?depth=4", headers=admin), 422, "invalid_request", "depth")
