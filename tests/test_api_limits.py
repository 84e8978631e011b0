"""The request limits and the JSON body reader, without Neo4j: what the corpus
(tests/test_bad_input_api.py) relies on, checked at its source."""

from __future__ import annotations

import json

import pytest
from api_helpers import assert_error, client
from fastapi.routing import APIRoute

from graph_service.api.errors import BodyError
from graph_service.api.json_body import JsonRoute, loads


def test_every_route_reads_bodies_with_the_strict_reader():
    """A router made without `route_class=JsonRoute` would take keys given twice again."""
    from graph_service.app import _routers

    routes = [r for router in _routers() for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 30
    assert [r.path for r in routes if not isinstance(r, JsonRoute)] == []


@pytest.mark.parametrize("text, field", [
    ('{"a": 1, "a": 2}', "a"),
    ('{"queries": {"q1": {}, "q2": {}, "q1": {}}}', "queries.q1"),
    ('{"queries": {"q1": {"action": "x", "action": "y"}}}', "queries.q1.action"),
    ('{"items": [{"x": 1}, {"x": 1, "y": 2, "x": 3}]}', "items[1].x"),
    ('[[{"k": 1, "k": 1}]]', "[0][0].k"),
])
def test_a_repeated_key_is_named_by_its_path(text, field):
    with pytest.raises(BodyError) as exc:
        loads(text.encode())
    assert (exc.value.status_code, exc.value.code, exc.value.field) == (422, "duplicate_key", field)


def test_equal_keys_in_different_objects_and_a_bom_are_fine():
    assert loads(b'\xef\xbb\xbf{"a": {"k": 1}, "b": {"k": 1}}') == {"a": {"k": 1}, "b": {"k": 1}}


@pytest.mark.parametrize("body", ['{"a": "é"}'.encode("latin-1"), json.dumps({"a": 1}).encode("utf-16"),
                                  '{"a": "郴州"}'.encode("gb18030")])
def test_a_body_that_is_not_utf8_is_a_400(body):
    with pytest.raises(BodyError) as exc:
        loads(body)
    assert (exc.value.status_code, exc.value.code) == (400, "invalid_body")


def test_not_json_stays_fastapis_422():
    with pytest.raises(json.JSONDecodeError):
        loads(b"{nope")


def test_the_limits_are_the_app_settings():
    """Lowered settings apply: the limits are answered before any route (no key, no Neo4j needed)."""
    c = client(max_body_bytes=100, max_header_bytes=50)
    json_type = {"Content-Type": "application/json"}
    assert_error(c.post("/v1/checks", content=b"x" * 101, headers=json_type), 413, "body_too_large")
    assert_error(c.get("/healthz", headers={"X-Purpose": "p" * 51}), 431, "header_too_large", "X-Purpose")
    assert_error(c.get("/healthz", headers={"X-Anything": "a" * 51}), 431, "header_too_large", "X-Anything")
    assert c.get("/healthz", headers={"X-Anything": "a" * 50}).status_code == 200
    # At the limit the body reaches the route, which reads it (not JSON: 422) before anything else.
    r = c.post("/v1/checks", content=b"x" * 100, headers=json_type)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request", r.text
