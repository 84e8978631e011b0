"""GET /v1/regions/{code}/links on the demo bundle (stories 1f and 8 of loaders/demo/README.md)."""

from __future__ import annotations

import pytest
from api_demo import TODAY, admin, api, demo_app
from api_helpers import assert_error, make_key

B0001, B0007, R0005 = "HN431000-2026-B0001", "HN440300-2026-B0007", "HN430000-2025-R0005"


def links(c, h, code, **params):
    params.setdefault("as_of", TODAY)
    r = c.get(f"/v1/regions/{code}/links", headers=h, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def listed(answer, direction):
    return {r["record_id"]: {g["code"]: g["reasons"] for g in r["regions"]} for r in answer[direction]}


def counts(answer, direction):
    return {c["code"]: (c["county"], c["records"], c["black"]) for c in answer[f"{direction}_counts"]}


def test_chenzhou_receives_shenzhen_and_sends_to_changsha(api, admin):
    c, _ = api
    a = links(c, admin, "431000")
    assert (a["name"], a["level"]) == ("郴州市", "city")
    # B0007 (Shenzhen tax bureau) reaches 资兴市: its liable legal representative P16 is a director of E09 there,
    # which E08 holds as a subsidiary. B0001 (decided in 郴州市) reaches 岳麓区 (P01 is E06's legal representative).
    assert listed(a, "incoming") == {B0007: {"431081": ["liable_person_role", "subsidiary"]}}
    assert listed(a, "outgoing") == {B0001: {"430104": ["liable_person_role"]}}
    assert counts(a, "incoming") == {"431081": ("431081", 1, 1)}
    assert counts(a, "outgoing") == {"430104": ("430104", 1, 1)}
    assert a["incoming"][0]["authority_region"] == "440300" and a["incoming"][0]["subject"]["kind"] == "enterprise"
    # Before B0007 was decided (2026-05-28) nothing came in.
    assert links(c, admin, "431000", as_of="2026-05-01")["incoming"] == []


def test_changsha_and_shenzhen(api, admin):
    c, _ = api
    a = links(c, admin, "430100")
    # The provincial red record R0005 is decided outside 长沙市 too.
    assert set(listed(a, "incoming")) == {R0005, B0001, B0007}
    assert listed(a, "incoming")[B0007] == {"430102": ["subsidiary"]}
    assert counts(a, "incoming") == {"430102": ("430102", 1, 1), "430104": ("430104", 2, 1)}
    assert a["outgoing"] == []
    s = links(c, admin, "440300")
    assert listed(s, "outgoing") == {B0007: {"431081": ["liable_person_role", "subsidiary"], "430102": ["subsidiary"]}}
    assert s["incoming"] == []


def test_pages(api, admin):
    c, _ = api
    first = links(c, admin, "430100", limit=2)
    assert [r["record_id"] for r in first["incoming"]] == [R0005, B0001]  # by record id
    assert first["next_cursor"]
    second = links(c, admin, "430100", limit=2, cursor=first["next_cursor"])
    assert [r["record_id"] for r in second["incoming"]] == [B0007]
    assert second["next_cursor"] is None and second["outgoing"] == []


def test_roles(api):
    c, graph = api
    zixing = make_key(graph, "department", "431081")
    assert list(listed(links(c, zixing, "431081"), "incoming")) == [B0007]
    assert_error(c.get("/v1/regions/431000/links", headers=zixing), 403, "outside_region", "code")
    city = make_key(graph, "department", "431000")
    assert links(c, city, "431081")["region"] == "431081"
    public = make_key(graph, "public")
    assert listed(links(c, public, "431000"), "incoming") == {B0007: {"431081": ["liable_person_role", "subsidiary"]}}


def test_invalid_requests(api, admin):
    c, _ = api
    assert_error(c.get("/v1/regions/43100/links", headers=admin), 422, "invalid_region", "code")
    assert_error(c.get("/v1/regions/999999/links", headers=admin), 422, "invalid_region", "code")
    assert_error(c.get("/v1/regions/431000/links?limit=0", headers=admin), 422, "invalid_request", "limit")
    assert_error(c.get("/v1/regions/431000/links?cursor=abc", headers=admin), 422, "invalid_cursor", "cursor")
