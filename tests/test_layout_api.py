"""The API's layout holds (issue 16 points 3, 4, 7): thin routers, one error base, one vocabulary."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from fastapi.routing import APIRoute

import graph_service
import loaders
from graph_service.app import create_app
from graph_service.errors import ServiceError

ROOT = Path(graph_service.__file__).resolve().parent
ROUTERS = sorted((ROOT / "api" / "routers").glob("*.py"))
# Statements of cypher/ are named "<area>/<name>"; a router names none (notifications.py's scope
# read waits for the runner's rewrite of that router).
STATEMENT = re.compile(r"""["'](admin|audit|keys|checks|credit|subjects|network|ownership|paths|regions|analytics|"""
                       r"""loading|propagation|workflow|testing)/\w+["']""")


def test_routers_run_no_statement_and_import_no_router():
    for path in ROUTERS:
        text = path.read_text()
        if path.name != "notifications.py":
            assert not STATEMENT.search(text), f"{path.name} names a statement"
        assert "rows_async" not in text, path.name
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("graph_service.api.routers"), f"{path.name} imports {node.module}"


def test_services_import_neither_the_api_nor_fastapi():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(("api/", "cli/")) or rel == "app.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(("graph_service.api", "fastapi", "starlette")), f"{rel} imports {name}"


def test_every_route_declares_its_response_model():
    app = create_app()
    for route in app.routes:
        # /docs and /redoc are HTML pages for people, outside the API's schema.
        if isinstance(route, APIRoute) and route.include_in_schema:
            decorator = route.endpoint.__module__
            assert route.response_model is not None, f"{route.path} ({decorator})"


def test_every_exception_class_derives_from_the_error_base():
    def modules(pkg):
        yield pkg
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            yield importlib.import_module(info.name)

    found = []
    for mod in [*modules(graph_service), *modules(loaders)]:
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            if cls.__module__ == mod.__name__ and issubclass(cls, Exception) and not issubclass(cls, ServiceError):
                found.append(f"{mod.__name__}.{cls.__name__}")
    # Starlette's HTTPExceptions: FastAPI lets only those out of the body's parsing.
    assert sorted(found) == ["graph_service.api.errors.BodyError", "graph_service.api.request_limits.BodyTooLarge"]


def test_subject_kinds_are_declared_once():
    pattern = re.compile(r'Literal\["enterprise", "person"\]')
    hits = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*.py") if pattern.search(p.read_text())]
    assert hits == ["domain/vocabulary.py"]
