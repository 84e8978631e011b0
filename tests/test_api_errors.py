"""One error body everywhere; 422 names the field and why; 404 for unknown subjects; 401 without a key."""

from __future__ import annotations

import pytest
from api_helpers import assert_error, client, make_key


@pytest.fixture
def api(graph):
    with client() as c:
        yield c, make_key(graph, "admin")


def test_422_uscc_names_the_expected_check_character(api):
    c, h = api
    err = assert_error(c.get("/v1/enterprises/91431002MA4L0C5B8A", headers=h), 422, "invalid_uscc", "uscc")
    assert "'T'" in err["message"] and "91431002MA4L0C5B8A" in err["message"]


def test_422_uscc_wrong_length_and_alphabet(api):
    c, h = api
    assert_error(c.get("/v1/enterprises/9143100", headers=h), 422, "invalid_uscc", "uscc")
    err = assert_error(c.get("/v1/enterprises/91431002MA4L0C5B8I", headers=h), 422, "invalid_uscc", "uscc")
    assert "I" in err["message"]


def test_422_person_id_names_the_expected_check_character(api):
    c, h = api
    err = assert_error(c.get("/v1/persons/431002198503151232", headers={**h, "X-Purpose": "t"}),
                       422, "invalid_person_id", "person_id")
    assert "'1'" in err["message"]


def test_422_bad_query_parameter_is_named(api):
    c, h = api
    assert_error(c.get("/v1/enterprises/91431002MA4L0C5B8T?as_of=2024-13-01", headers=h),
                 422, "invalid_request", "as_of")
    assert_error(c.get("/v1/persons/E12345678?id_type=visa", headers=h), 422, "invalid_request", "id_type")


def test_404_for_well_formed_unknown_ids(api):
    c, h = api
    err = assert_error(c.get("/v1/enterprises/91431002MA4L0C5B8T", headers=h), 404, "not_found", "uscc")
    assert "91431002MA4L0C5B8T" in err["message"]
    assert_error(c.get("/v1/persons/431002200003151235", headers=h), 404, "not_found", "person_id")
    assert_error(c.get("/v1/persons/E12345678?id_type=passport", headers=h), 404, "not_found", "person_id")


def test_normalised_id_is_looked_up(api):
    c, h = api
    # lower case and full-width characters are normalised before the check (input-format.md)
    err = assert_error(c.get("/v1/enterprises/91431002ma4l0c5b8t", headers=h), 404, "not_found", "uscc")
    assert "91431002MA4L0C5B8T" in err["message"]


def test_unknown_route_uses_the_error_body(api):
    c, h = api
    assert_error(c.get("/v1/nothing-here", headers=h), 404, "not_found")


def test_401_without_a_valid_key(graph):
    url = "/v1/enterprises/91431002MA4L0C5B8T"
    with client() as c:
        resp = c.get(url)
        assert_error(resp, 401, "unauthorized", "X-API-Key")
        assert resp.headers["WWW-Authenticate"] == "ApiKey"
        assert_error(c.get(url, headers={"X-API-Key": "not-a-key"}), 401, "unauthorized", "X-API-Key")
        good = make_key(graph, "admin")["X-API-Key"]
        forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
        assert_error(c.get(url, headers={"X-API-Key": forged}), 401, "unauthorized", "X-API-Key")
        # the Authorization form is accepted too
        assert_error(c.get(url, headers={"Authorization": f"ApiKey {good}"}), 404, "not_found", "uscc")


def test_revoked_key_is_refused(graph):
    from graph_service.access import keys

    h = make_key(graph, "admin")
    key_id, _ = keys.parse(h["X-API-Key"])
    with client() as c:
        url = "/v1/enterprises/91431002MA4L0C5B8T"
        assert_error(c.get(url, headers=h), 404, "not_found", "uscc")
        assert keys.revoke(graph, key_id)
        assert_error(c.get(url, headers=h), 401, "unauthorized", "X-API-Key")


def test_keys_are_stored_hashed(graph):
    from graph_service.access import keys

    h = make_key(graph, "investigator")
    key_id, secret = keys.parse(h["X-API-Key"])
    listed = keys.list_keys(graph)
    assert [k["key_id"] for k in listed] == [key_id]
    stored = graph.execute_query(__import__("graph_service.cypher", fromlist=["query"]).query("keys/get"),
                                 key_id=key_id).records[0]
    assert secret not in stored["hash"] and stored["hash"].startswith("sha256$")
    assert keys.secret_matches(secret, stored["hash"])
    assert not keys.secret_matches(secret + "x", stored["hash"])


def test_a_timeout_seen_through_a_failed_result_answers_504():
    # A read timing out in one statement makes the next result read in its transaction raise
    # ResultFailedError, with the server's error as its cause: that is a 504, not a 500.
    import neo4j.exceptions as nx
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from graph_service.api import errors

    app = FastAPI()
    errors.install(app)

    @app.get("/timed-out")
    async def timed_out():
        cause = nx.Neo4jError._hydrate_neo4j(
            code="Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", message="timed out")
        raise nx.ResultFailedError(None, "result failed") from cause

    @app.get("/other")
    async def other():
        raise nx.ResultFailedError(None, "result failed")

    with TestClient(app, raise_server_exceptions=False) as c:
        assert_error(c.get("/timed-out"), 504, "query_timeout")
        assert_error(c.get("/other"), 500, "internal_error")
