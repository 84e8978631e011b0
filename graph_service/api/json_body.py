"""JSON request bodies as the API reads them: UTF-8 only, and no key given twice in an object.

Python's json module keeps the last of two equal keys, so `{"queries": {"q1": A, "q1": B}}` would
check B and answer once for q1 (issue 15, point 14). `JsonRoute` parses every body with
`object_pairs_hook` instead, in the one parse FastAPI does: a duplicate is a 422 naming the key's
path (`queries.q1`), a body that is not UTF-8 a 400. Every router is made with
`APIRouter(route_class=JsonRoute)` (tests/test_api_limits.py holds them to it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from graph_service.api.errors import BodyError


class _Repeated(dict):
    """An object of the body in which `key` appeared more than once."""

    key: str


def _first_repeat(pairs: list[tuple[str, Any]]) -> str:
    seen: set[str] = set()
    for k, _ in pairs:
        if k in seen:
            return k
        seen.add(k)
    raise AssertionError("no repeated key")


def _path_to(node: Any, target: dict, path: str = "") -> str | None:
    """The path of `target` inside `node`, written as error fields are (`queries.q1`, `items[3]`)."""
    if node is target:
        return path
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        if isinstance(v, (dict, list)):
            sub = f"{path}[{k}]" if isinstance(k, int) else (f"{path}.{k}" if path else str(k))
            found = _path_to(v, target, sub)
            if found is not None:
                return found
    return None


def loads(body: bytes) -> Any:
    """The JSON value of a request body; BodyError for a body that is not UTF-8 or repeats a key.
    json.JSONDecodeError (FastAPI's 422 `json_invalid`) for one that is not JSON."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BodyError(400, "invalid_body", f"the request body is not UTF-8: byte 0x{body[exc.start]:02x} at "
                                             f"position {exc.start} (JSON bodies are UTF-8, RFC 8259)") from None
    repeated: list[_Repeated] = []

    def unique(pairs: list[tuple[str, Any]]) -> dict:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            obj = _Repeated(obj)
            obj.key = _first_repeat(pairs)
            repeated.append(obj)
        return obj

    value = json.loads(text, object_pairs_hook=unique)
    if repeated:
        first = repeated[0]
        where = _path_to(value, first) or ""
        field = f"{where}.{first.key}" if where else first.key
        raise BodyError(422, "duplicate_key", f"{field}: the key {first.key!r} is given more than once in the same "
                                              "JSON object (only one value can count)", field)
    return value


class _JsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads(await self.body())
        return self._json


class JsonRoute(APIRoute):
    """An APIRoute whose request parses its JSON body with `loads`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handler(_JsonRequest(request.scope, request.receive))

        return strict
