"""Surrounding risk (GET /v1/subjects/{id}/risk): the subject's own records and liabilities and
the network around it with its flags, read in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graph_service.access.caller import Caller
from graph_service.analysis import network
from graph_service.analysis.network import Key, Walk
from graph_service.domain.vocabulary import RELATIONS
from graph_service.runner import Graph, rows_async
from graph_service.subjects import Subject, outside_scope, resolve


@dataclass
class Risk:
    subject: Subject
    own: dict[str, Any]  # records and liabilities (cypher/credit/risk_subject)
    walk: Walk
    flags: dict[Key, dict[str, Any]]
    outside: frozenset[Key]


async def risk(graph: Graph, caller: Caller, id_: str, kind: str | None, depth: int, as_of: dt.date,
               max_nodes: int) -> Risk:
    async def work(tx: Any) -> Risk:
        subject = await resolve(tx, id_, kind, caller=caller)
        own = (await rows_async(tx, "credit/risk_subject", kind=subject.kind, id=subject.id, as_of=as_of))[0]
        aside = network.beside(graph)
        found = await network.walk(tx, subject.key, subject.name, subject.region_code, depth, list(RELATIONS),
                                   as_of, False, max_nodes, max_nodes, max_nodes, aside=aside)
        flags_ = await network.flags(tx, list(found.nodes), as_of, found, aside)
        return Risk(subject, own, found, flags_, await outside_scope(tx, caller, found.nodes))

    return await graph.read_tx(work)
