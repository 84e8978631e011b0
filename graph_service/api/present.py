"""Turning graph nodes and edges into answer nodes, masked for callers who see no person data.

A masked person keeps an answer-wide key that tells two persons apart (`person:4328**********1350#3fa2c1`):
the suffix is an HMAC of the real id under a secret made at process start, so it cannot be
reversed by trying the few million ids that share a masked form, and it changes on restart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

import orjson
from fastapi.responses import Response
from pydantic import BaseModel

from graph_service.api.deps import Caller
from graph_service.api.privacy import mask_name, mask_person_id

_SECRET = secrets.token_bytes(32)


class Presenter:
    def __init__(self, caller: Caller, as_of: dt.date):
        self.caller = caller
        self.as_of = as_of
        self.persons_seen = False

    def masks(self, kind: str) -> bool:
        return kind == "person" and not self.caller.sees_persons

    def key(self, kind: str, id_: str) -> str:
        if self.masks(kind):
            tag = hmac.new(_SECRET, id_.encode(), hashlib.sha256).hexdigest()[:6]
            return f"person:{mask_person_id(id_)}#{tag}"
        return f"{kind}:{id_}"

    def ref(self, kind: str, id_: str, name: str | None) -> dict[str, Any]:
        """kind, id, name and masked of one subject."""
        if kind == "person":
            self.persons_seen = True
        if self.masks(kind):
            return {"kind": kind, "id": mask_person_id(id_), "name": mask_name(name), "masked": True}
        return {"kind": kind, "id": id_, "name": name, "masked": False}

    def edge(self, e: dict[str, Any]) -> dict[str, Any]:
        """The fields of NetworkEdge, in its order and with its types, so that a large answer can be
        serialised without validating it again (see `trusted_json`)."""
        start, end = e.get("start_on"), e.get("end_on")
        ratio, capital = e.get("ratio"), e.get("subscribed_capital")
        return {
            "id": f"{e['type']}|{e['key']}" if self.caller.sees_persons else self._edge_id(e),
            "type": e["type"], "relation": e["relation"],
            "source": self.key(e.get("source_kind", "person"), e["source"]),
            "target": self.key("enterprise", e["target"]),
            "role": e.get("role"), "title": e.get("title"),
            "ratio": None if ratio is None else float(ratio),
            "subscribed_capital": None if capital is None else float(capital),
            "record_id": e.get("record_id"), "record_kind": e.get("record_kind"),
            "start_on": start, "end_on": end,
            "current": (start is None or start <= self.as_of) and (end is None or self.as_of < end),
        }

    def _edge_id(self, e: dict[str, Any]) -> str:
        # Edge keys start with the person id: a masked caller gets a keyed digest instead.
        tag = hmac.new(_SECRET, f"{e['type']}|{e['key']}".encode(), hashlib.sha256).hexdigest()[:16]
        return f"{e['type']}|{tag}"


def trusted_json(answer: dict[str, Any]) -> Response:
    """An answer the service built itself with exactly the fields, order and types of its model
    (the tests compare every such body with the model's own dump of it), serialised without
    validating it: on a 500-node network, validating and dumping through the model cost about as
    much Python time as reading the graph. orjson writes dates as ISO days, as the models do, and
    is several times faster than pydantic's own serialiser on such a tree of dicts."""
    return Response(orjson.dumps(answer), media_type="application/json")


def json_response(model: BaseModel, **dump: Any) -> Response:
    """The answer, already validated by its model, serialised once: returning the model would have
    FastAPI validate and encode it a second time, which on a network of hundreds of nodes or a
    batch of 1,000 checks costs more than the graph read."""
    # Field aliases are the names the OpenAPI schema documents (e.g. a measure's "class").
    dump.setdefault("by_alias", True)
    return Response(model.model_dump_json(**dump), media_type="application/json")
