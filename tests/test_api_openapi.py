"""The OpenAPI description: every endpoint described, the examples real demo data (no Neo4j needed)."""

from __future__ import annotations

from graph_service import REPO_ROOT
from graph_service.api import examples
from graph_service.api.models.enterprise import EnterpriseFacts
from graph_service.api.models.person import PersonFacts
from graph_service.app import create_app

DEMO = REPO_ROOT / "loaders" / "demo"


def test_every_operation_is_described_and_states_its_errors():
    spec = create_app().openapi()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert op.get("summary") and op.get("description"), f"{method} {path} is not described"
            if path.startswith("/v1/"):
                assert {"401", "503"} <= set(op["responses"]), f"{method} {path}: errors not listed"
                assert op["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")


def test_facts_examples_are_answers_on_the_demo_bundle():
    enterprises = (DEMO / "enterprises.csv").read_text(encoding="utf-8")
    persons = (DEMO / "persons.csv").read_text(encoding="utf-8")
    e = EnterpriseFacts.model_validate(examples.ENTERPRISE_EXAMPLE)
    p = PersonFacts.model_validate(examples.PERSON_EXAMPLE)
    assert e.uscc == examples.DEMO_USCC and e.uscc in enterprises
    assert p.person_id == examples.DEMO_PERSON_ID and p.person_id in persons
    assert p.named_responsible_in[0].record_id == e.records[0].record_id
    assert all(r.person.person_id in persons for r in e.roles)
    spec = create_app().openapi()
    op = spec["paths"]["/v1/enterprises/{uscc}"]["get"]
    assert op["responses"]["200"]["content"]["application/json"]["example"]["uscc"] == examples.DEMO_USCC
    assert op["parameters"][0]["examples"]["demo"]["value"] == examples.DEMO_USCC


def test_docs_pages_load_their_assets_from_the_service_not_a_cdn():
    """Government networks are isolated: /docs and /redoc name no other host, and the files
    they name are served by the app (fastapi-offline's copies of Swagger UI and ReDoc)."""
    import re

    from fastapi.testclient import TestClient

    client = TestClient(create_app())  # no lifespan: the pages need no Neo4j
    for page, assets in (("/docs", ("swagger-ui-bundle.js", "swagger-ui.css")), ("/redoc", ("redoc.standalone.js",))):
        html = client.get(page).text
        urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", html)
        assert urls, page
        assert not [u for u in urls if "//" in u], f"{page} names another host: {urls}"
        for asset in assets:
            url = next(u for u in urls if u.endswith(asset))
            answer = client.get(url)
            assert answer.status_code == 200 and len(answer.content) > 10_000, (page, url)
