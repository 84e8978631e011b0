"""The k shortest paths between two subjects (GET /v1/paths), read in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graph_service.access.caller import Caller
from graph_service.analysis.network import Key, flags
from graph_service.errors import Refused
from graph_service.runner import Graph, rows_async
from graph_service.subjects import Subject, outside_scope, resolve


def statement(rels: list[str]) -> str:
    return "paths/all" if len(rels) == 2 else f"paths/{rels[0]}"


def merge(rows: list[dict], k: int) -> list[tuple[list[dict], list[list[dict]]]]:
    """Paths by distinct node sequence, shortest first, each hop with all its parallel links."""
    out: dict[tuple, tuple[list[dict], list[dict[str, dict]]]] = {}
    for row in rows:
        seq = tuple((n["kind"], n["id"]) for n in row["nodes"])
        if seq not in out:
            if len(out) >= k:
                continue
            out[seq] = (row["nodes"], [{} for _ in row["rels"]])
        for hop, e in zip(out[seq][1], row["rels"], strict=False):
            hop[f"{e['type']}|{e['key']}"] = e
    return [(nodes, [[hop[x] for x in sorted(hop)] for hop in hops]) for nodes, hops in out.values()]


@dataclass
class Paths:
    source: Subject
    target: Subject
    found: list[tuple[list[dict], list[list[dict]]]]
    flags: dict[Key, dict[str, Any]]
    outside: frozenset[Key]


async def paths(graph: Graph, caller: Caller, from_: str, from_kind: str | None, to: str, to_kind: str | None,
                rels: list[str], as_of: dt.date, history: bool, max_depth: int, k: int) -> Paths:
    async def work(tx: Any) -> Paths:
        # Both ends are subjects asked about: one the key may not read answers as an unknown id.
        a = await resolve(tx, from_, from_kind, "from", caller=caller)
        b = await resolve(tx, to, to_kind, "to", caller=caller)
        if a.key == b.key:
            raise Refused(422, "invalid_request", "to: the same subject as `from`", "to")
        rows = await rows_async(tx, statement(rels), from_kind=a.kind, from_id=a.id, to_kind=b.kind, to_id=b.id,
                             as_of=as_of, history=history, max_depth=max_depth)
        found = merge(rows, k)
        keys = sorted({(n["kind"], n["id"]) for nodes, _ in found for n in nodes})
        return Paths(a, b, found, await flags(tx, keys, as_of) if keys else {}, await outside_scope(tx, caller, keys))

    return await graph.read_tx(work)
