"""What the workbench stands on, without a browser: the page at / and its assets served by the app
and naming no other host, GET /v1/me and GET /v1/vocabulary (tests/test_workbench.py drives the
page itself)."""

from __future__ import annotations

import re

import pytest
from api_helpers import assert_error, client, make_key
from fastapi.testclient import TestClient

from graph_service import workbench
from graph_service.app import create_app
from graph_service.domain import labels, vocabulary
from graph_service.facts import models
from graph_service.workflow import events, notifications

STATIC_URL = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


def test_the_page_and_its_assets_come_from_the_service():
    c = TestClient(create_app())  # no lifespan: the page needs no Neo4j
    page = c.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'lang="zh-CN"' in page.text
    urls = [u for u in STATIC_URL.findall(page.text) if not u.startswith(("#", "data:"))]
    assert urls and not [u for u in urls if "//" in u], urls
    for url in urls:
        assert c.get(url).status_code == 200, url
    # the scripts the page imports and the chart library it loads on the desk are served too
    for path in sorted((workbench.STATIC / "js").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        # (the GraphML export names its XML namespace, which nothing fetches)
        assert not re.search(r"https?://(?!graphml\.graphdrawing\.org/xmlns\b)", text), f"{path.name} names another host"
        assert c.get(f"/workbench/js/{path.name}").status_code == 200
    assert c.get("/workbench/vendor/echarts.min.js").status_code == 200
    assert "/" not in create_app().openapi()["paths"]  # a page for people, outside the API's schema


def test_every_word_the_answers_carry_has_a_name():
    groups = {
        "subject_kinds": vocabulary.SUBJECT_KINDS, "record_kinds": vocabulary.RECORD_KINDS,
        "severities": vocabulary.SEVERITIES, "black_categories": vocabulary.BLACK_CATEGORIES,
        "roles": vocabulary.REACH_ROLES, "relations": vocabulary.RELATIONS, "key_roles": vocabulary.KEY_ROLES,
        "enterprise_kinds": models.ENTERPRISE_KINDS, "enterprise_statuses": models.ENTERPRISE_STATUSES,
        "notification_statuses": notifications.STATUSES, "objection_statuses": ("open", *events.OUTCOMES),
    }
    for group, words in groups.items():
        missing = set(words) - set(labels.LABELS[group])
        assert not missing, f"{group}: no name for {sorted(missing)}"
    for words in labels.LABELS.values():
        for zh, en in words.values():
            assert zh and en and re.search(r"[\u4e00-\u9fff]", zh)


@pytest.fixture
def app_client(graph):
    with client() as c:
        yield c, graph


def test_me_says_role_region_and_masking(app_client):
    c, driver = app_client
    dept = c.get("/v1/me", headers=make_key(driver, "department", "431002")).json()
    assert dept["role"] == "department" and dept["sees_persons"] and not dept["purpose_required"]
    assert dept["region"]["name"] == "北湖区"
    assert [r["name"] for r in dept["region"]["path"]] == ["湖南省", "郴州市", "北湖区"]
    public = c.get("/v1/me", headers=make_key(driver, "public")).json()
    assert public["role"] == "public" and not public["sees_persons"] and public["region"] is None
    assert c.get("/v1/me", headers=make_key(driver, "investigator")).json()["purpose_required"]
    assert_error(c.get("/v1/me"), 401, "unauthorized", "X-API-Key")


def test_vocabulary_names_roles_in_chinese(app_client):
    c, driver = app_client
    groups = c.get("/v1/vocabulary", headers=make_key(driver, "public")).json()["groups"]
    roles = {w["code"]: w["name_zh"] for w in groups["roles"]}
    assert roles["legal_representative"] == "法定代表人" and roles["actual_controller"] == "实际控制人"
    assert set(groups) == set(labels.LABELS)
