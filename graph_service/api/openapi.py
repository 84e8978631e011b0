"""The OpenAPI description, with the answers every operation can give whatever its route says.

RequestLimits answers 413 and 431 before any route runs, a body that is not UTF-8 is a 400 and a
key given twice a 422 (json_body), and the key is checked on every /v1 operation: these are added
here to every operation they apply to, so the description lists every response the service
gives (issue 15, point 15; tests/test_api_conformance.py checks it with schemathesis).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from graph_service.api.errors import responses

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def _service_wide(path: str, op: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    statuses = [413, 431]
    if "requestBody" in op:
        statuses += [400, 422]
    if op.get("parameters"):
        statuses.append(422)
    if path.startswith("/v1/"):
        statuses.append(401)
    return responses(*statuses)


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with the service-wide responses added where an operation does not list them."""
    for path, item in schema.get("paths", {}).items():
        for method, op in item.items():
            if method not in _METHODS:
                continue
            out = op.setdefault("responses", {})
            for status, entry in _service_wide(path, op).items():
                if str(status) in out:
                    continue
                out[str(status)] = {"description": entry["description"], "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/ErrorBody"},
                    "example": entry["content"]["application/json"]["example"]}}}
    return schema


def install(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
