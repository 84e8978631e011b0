"""Schemathesis over the whole OpenAPI description, on the demo graph, with an admin key: no
request, valid or not, may answer 500 (issue 4, "Done when"). Examples are bounded so that the run
stays within about two minutes on the CI machine."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api_demo import demo_app
from api_helpers import make_key
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
    neo4j_driver.execute_query(query("admin/clear_graph"), database_=neo4j_conn.database)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
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
    case.validate_response(response, checks=[not_a_server_error])
