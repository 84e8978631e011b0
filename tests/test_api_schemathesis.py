"""Schemathesis over the whole OpenAPI description, on the demo graph, with an admin key: no
request, valid or not, may answer 500 (issue 4, "Done when"), and every answer is in the
description (issue 15, point 15): `status_code_conformance` (the status is documented for the
operation) and `content_type_conformance` (so is its media type, `text/csv` of the lists included).
One pass for all three checks; examples are bounded and derandomized, the same requests every run."""

from __future__ import annotations

import pytest
import schemathesis
from api_demo import demo_app
from api_helpers import make_key
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from graph_service.app import create_app
from graph_service.cypher import query

# The description only: no Neo4j is needed to read it (the app's lifespan starts in the fixture).
schema = schemathesis.openapi.from_dict(create_app().openapi())
EXAMPLES = 6


@pytest.fixture(scope="module")
def api(neo4j_driver, neo4j_conn):
    with demo_app(neo4j_driver, neo4j_conn) as c:
        yield c, make_key(neo4j_driver, "admin")
    # Generated requests write (records, objections...): the next module gets a clean graph.
    neo4j_driver.execute_query(query("testing/clear_graph"), database_=neo4j_conn.database)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_server_error(case, api):
    c, admin = api
    # The case's own headers stay (X-Purpose and the like); the key is the admin's, whatever was generated.
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    kwargs.pop("cookies", None)
    kwargs["headers"] = {k: v for k, v in kwargs["headers"].items() if k.lower() not in ("x-api-key", "authorization")}
    kwargs["headers"].update(admin)
    try:
        response = c.request(**kwargs)
    except (UnicodeEncodeError, ValueError):
        # httpx refuses a header value that is not Latin-1: such a request never reaches a service.
        return
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance, content_type_conformance])


def test_the_lists_document_their_csv_answer():
    """`format=csv` answers text/csv; the description says so (schemathesis may not pick csv)."""
    doc = create_app().openapi()
    for path in ("/v1/lists/black", "/v1/lists/red"):
        assert set(doc["paths"][path]["get"]["responses"]["200"]["content"]) == {"application/json", "text/csv"}


def test_service_wide_answers_are_documented_on_every_operation():
    doc = create_app().openapi()
    for path, item in doc["paths"].items():
        for method, op in item.items():
            statuses = set(op["responses"])
            assert {"413", "431"} <= statuses, (method, path)
            if "requestBody" in op:
                assert {"400", "422"} <= statuses, (method, path)
            if op.get("parameters"):
                assert "422" in statuses, (method, path)
            if path.startswith("/v1/"):
                assert "401" in statuses, (method, path)
