"""Read the facts of the graph out of Neo4j into a networkx MultiDiGraph, and the materialised
liabilities and reach for comparison. One read statement each (cypher/testing/oracle_*)."""

from __future__ import annotations

from typing import Any

import networkx as nx
from neo4j.time import Date, DateTime

from graph_service.cypher import query
from graph_service.db import native

# Node label -> (kind, key property). Nodes are keyed (kind, key) in the networkx graph; the kind is
# also the node attribute `_label` (a node's own `kind` property, e.g. a record's, is kept as is).
KEYS = {
    "Enterprise": ("enterprise", "uscc"),
    "Person": ("person", "person_id"),
    "Record": ("record", "record_id"),
    "Region": ("region", "code"),
    "Authority": ("authority", "authority_id"),
}



def _props(raw: dict) -> dict:
    return {k: native(v) for k, v in raw.items()}


def to_networkx(nodes: list[dict], rels: list[dict]) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    ids: dict[str, tuple[str, str]] = {}
    for n in nodes:
        label = next((lb for lb in n["labels"] if lb in KEYS), None)
        if label is None:
            continue
        kind, key = KEYS[label]
        node = (kind, n["props"][key])
        ids[n["id"]] = node
        g.add_node(node, _label=kind, **_props(n["props"]))
    for r in rels:
        a, b = ids.get(r["source"]), ids.get(r["target"])
        if a is None or b is None:
            continue
        k = g.add_edge(a, b)
        g.edges[a, b, k].update(_props(r["props"]), type=r["type"])
    return g


def read_graph(tx) -> nx.MultiDiGraph:
    rec = tx.run(query("testing/oracle_export")).single(strict=True)
    return to_networkx(rec["nodes"], rec["rels"])


def read_liabilities(tx) -> list[dict]:
    rows = []
    for r in tx.run(query("testing/oracle_liabilities")).data():
        row = _props(r["props"])
        row["bound_id"] = r["bound_id"]
        rows.append(row)
    return rows


def read_reach(tx) -> tuple[list[dict], list[dict]]:
    rec = tx.run(query("testing/oracle_reach")).single(strict=True)
    return rec["reach"], rec["notifications"]
