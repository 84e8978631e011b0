"""Circular shareholding among a region's enterprises (GET /v1/analytics/cycles?region=).

The directed holding graph is read from the region's enterprises: holdings into them and
holdings out of them, so a cycle is found when every other step of it touches the region (a cycle
through two consecutive enterprises registered elsewhere is missed; docs/ownership.md).

Costs (V enterprises, E holdings): strongly connected components O(V + E) (Tarjan); the simple
cycles of each component with Johnson's algorithm as networkx runs it with a length bound, at most
`max_cycles` in all, so the answer stays bounded where the count of cycles explodes; each member's
circular holding of itself by ownership.walk_sums, exact up to `exact_max_scc` members.
"""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction
from itertools import islice
from typing import Any

import networkx as nx

from graph_service.analysis import InvalidParameter, NotFound
from graph_service.analysis.ownership import as_float, walk_sums
from graph_service.analysis.subgraph import ENTERPRISE, exact_ratio, read_region, read_region_enterprises


def holding_graph(rows: list[dict[str, Any]]) -> nx.DiGraph:
    g = nx.DiGraph()
    for r in rows:
        g.add_node(r["uscc"], name=r["name"], in_region=True)
    # A holding between two of the region's enterprises is seen from both ends: the holders of
    # the held one are complete, so a holding out of the region is taken from the holder's side only.
    ratios: dict[tuple[str, str], Fraction] = {}
    for r in rows:
        for h in r.get("holders") or []:
            if h["kind"] == ENTERPRISE and (ratio := exact_ratio(h["ratio"])):
                ratios[(h["id"], r["uscc"])] = ratios.get((h["id"], r["uscc"]), Fraction(0)) + ratio
                if h["id"] not in g:
                    g.add_node(h["id"], name=h["name"])
        for t in r.get("holdings") or []:
            if t["id"] in g and g.nodes[t["id"]].get("in_region"):
                continue
            if ratio := exact_ratio(t["ratio"]):
                ratios[(r["uscc"], t["id"])] = ratios.get((r["uscc"], t["id"]), Fraction(0)) + ratio
                if t["id"] not in g:
                    g.add_node(t["id"], name=t["name"])
    for (h, t), ratio in ratios.items():
        g.add_edge(h, t, ratio=ratio)
    return g


def cycle_answer(rows: list[dict[str, Any]], max_cycles: int = 100, max_cycle_length: int = 10,
                 exact_max_scc: int = 60) -> dict[str, Any]:
    g = holding_graph(rows)
    comps = [c for c in nx.strongly_connected_components(g)
             if len(c) > 1 or any(g.has_edge(n, n) for n in c)]
    comps.sort(key=lambda c: (-len(c), min(c)))
    budget = max_cycles
    out = []
    for comp in comps:
        sub = g.subgraph(comp)
        succ = {n: {m: sub.edges[n, m]["ratio"] for m in sub.successors(n)} for n in sub}
        cycles = []
        found = list(islice(nx.simple_cycles(sub, length_bound=max_cycle_length), budget + 1))
        more = len(found) > budget
        for cyc in found[:budget]:
            # Start each cycle at its smallest member so the answer does not depend on hash order.
            i = cyc.index(min(cyc))
            cyc = cyc[i:] + cyc[:i]
            ratios = [sub.edges[a, b]["ratio"] for a, b in zip(cyc, cyc[1:] + cyc[:1])]
            cycles.append({"members": cyc, "ratios": [float(r) for r in ratios],
                           "product": float(math.prod(ratios, start=Fraction(1)))})
        budget -= len(cycles)
        cycles.sort(key=lambda c: (len(c["members"]), c["members"]))
        members = []
        for n in sorted(comp):
            # A walk from n back to n never leaves n's component, so the component is enough.
            ws = walk_sums(succ, n, exact_max_scc)
            v = ws.values[n]
            members.append({"uscc": n, "name": g.nodes[n].get("name"), "in_region": bool(g.nodes[n].get("in_region")),
                            "self_holding_ratio": as_float(None if v is None else v - 1)})
        out.append({
            "size": len(comp),
            "members": members,
            "holdings": [{"holder": a, "held": b, "ratio": float(d["ratio"])}
                         for a, b, d in sorted(sub.edges(data=True))],
            "cycles": cycles,
            "cycles_truncated": more,
        })
    return {"components": out, "component_count": len(out),
            "enterprises": sum(1 for n in g if g.nodes[n].get("in_region")),
            "holdings": g.number_of_edges()}


async def cycles(tx: Any, region: str, as_of: date | None = None, max_cycles: int = 100,
                 max_cycle_length: int = 10, max_enterprises: int = 20000) -> dict[str, Any]:
    """Circular shareholdings touching the enterprises of `region` and its sub-regions on `as_of`."""
    if max_cycles < 1:
        raise InvalidParameter("max_cycles", "must be at least 1")
    if max_cycle_length < 1:
        raise InvalidParameter("max_cycle_length", "must be at least 1")
    as_of = as_of or date.today()
    reg = await read_region(tx, region)
    if reg is None:
        raise NotFound("region", "region", region)
    rows, cut = await read_region_enterprises(tx, region, as_of, max_enterprises)
    out = cycle_answer(rows, max_cycles, max_cycle_length)
    out.update(region=reg, as_of=as_of, enterprises_truncated=cut)
    return out
