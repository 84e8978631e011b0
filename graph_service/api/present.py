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

from graph_service.analysis.network import EDGE
from graph_service.api.deps import Caller
from graph_service.api.privacy import mask_name, mask_person_id

_SECRET = secrets.token_bytes(32)


class Presenter:
    """`outside`: the (kind, id) of the answer's nodes outside the key's region
    (subjects.outside_scope), shown as the public role sees a person: masked, without flags."""

    def __init__(self, caller: Caller, as_of: dt.date, outside: frozenset[tuple[str, str]] = frozenset()):
        self.caller = caller
        self.as_of = as_of
        self.persons_seen = False
        self._sees_persons = caller.sees_persons
        self._day = as_of.isoformat()
        self._outside = outside

    def masks(self, kind: str, id_: str | None = None) -> bool:
        if kind == "person" and not self._sees_persons:
            return True
        return bool(self._outside) and (kind, id_) in self._outside

    def key(self, kind: str, id_: str) -> str:
        if self.masks(kind, id_):
            tag = hmac.new(_SECRET, id_.encode(), hashlib.sha256).hexdigest()[:6]
            return f"{kind}:{mask_person_id(id_)}#{tag}"
        return f"{kind}:{id_}"

    def ref(self, kind: str, id_: str, name: str | None) -> dict[str, Any]:
        """kind, id, name and masked of one subject."""
        masked = self.masks(kind, id_)
        if kind == "person" and not masked:
            self.persons_seen = True
        if masked:
            return {"kind": kind, "id": mask_person_id(id_), "name": mask_name(name), "masked": True}
        return {"kind": kind, "id": id_, "name": name, "masked": False}

    def edge(self, e: dict[str, Any]) -> dict[str, Any]:
        """An edge given as a map (type, key, relation, source, source_kind, target, the dates as
        days, and the relation's own fields), as the paths statements give them."""
        a_name, b_name = EDGE[e["relation"]][1]
        start, end = e.get("start_on"), e.get("end_on")
        return self.walk_edge((e["type"], e["relation"], e["key"], None if start is None else start.isoformat(),
                               None if end is None else end.isoformat(), e["source"],
                               e.get("source_kind", "person") == "person", e["target"], e.get(a_name), e.get(b_name)))

    def walk_edge(self, e: tuple) -> dict[str, Any]:
        """The fields of NetworkEdge, in its order and with its types, of an edge of a walk
        (graph_service.analysis.network.Walk.edges), so that a large answer can be serialised without
        validating it again (see `trusted_json`); the ISO days serialise as the model's dates do."""
        kind, relation, key, start, end, source, source_person, target, a, b = e
        role = title = ratio = capital = record_id = record_kind = None
        if relation == "role":
            role, title = a, b
        elif relation == "shareholding":
            ratio, capital = (None if a is None else float(a)), (None if b is None else float(b))
        else:
            record_id, record_kind = a, b
        day = self._day
        source_kind = "person" if source_person else "enterprise"
        # Edge keys start with the source's id: hidden when either end is masked.
        plain = self._sees_persons and not (self._outside and (
            (source_kind, source) in self._outside or ("enterprise", target) in self._outside))
        return {
            "id": f"{kind}|{key}" if plain else self._edge_id(kind, key),
            "type": kind, "relation": relation,
            "source": self.key(source_kind, source),
            "target": self.key("enterprise", target),
            "role": role, "title": title, "ratio": ratio, "subscribed_capital": capital,
            "record_id": record_id, "record_kind": record_kind,
            "start_on": start, "end_on": end,
            "current": (start is None or start <= day) and (end is None or day < end),
        }

    def _edge_id(self, kind: str, key: str) -> str:
        # Edge keys start with the person id: a masked caller gets a keyed digest instead.
        tag = hmac.new(_SECRET, f"{kind}|{key}".encode(), hashlib.sha256).hexdigest()[:16]
        return f"{kind}|{tag}"


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
