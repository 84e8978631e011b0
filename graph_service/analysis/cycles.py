"""Circular shareholding among a region's enterprises (GET /v1/analytics/cycles?region=).

The directed holding graph is read from the region's enterprises: holdings into them and
holdings out of them. A cycle may also leave the region for more than one enterprise (region →
X → Y → region, X and Y registered elsewhere): the holdings among enterprises elsewhere are read
breadth-first from those the region holds (`outside_holdings`), up to the cycle length, and those
on a way back to an enterprise holding into the region are added (docs/ownership.md).

Costs (V enterprises, E holdings): strongly connected components O(V + E) (Tarjan); the simple
cycles of each component with Johnson's algorithm as networkx runs it with a length bound, at most
`max_cycles` in all, so the answer stays bounded where the count of cycles explodes; each member's
circular holding of itself by ownership.walk_sums, exact up to `exact_max_scc` members.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from itertools import islice
from typing import Any

import networkx as nx

from graph_service.analysis import InvalidParameter
from graph_service.analysis.ownership import as_float, walk_sums
from graph_service.analysis.subgraph import (
    ENTERPRISE,
    exact_ratio,
    neo4j_step,
    read_region_enterprises,
)


def holding_graph(rows: list[dict[str, Any]], outside: Iterable[tuple[str, str, str | None, Any]] = ()) -> nx.DiGraph:
    """``outside``: holdings between enterprises registered elsewhere, (holder, held, held's name,
    ratio), as `outside_holdings` reads them."""
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
    outside = list(outside)
    names = {t: name for _, t, name, _ in outside}
    for h, t, _, value in outside:
        if ratio := exact_ratio(value):
            ratios[(h, t)] = ratios.get((h, t), Fraction(0)) + ratio
            for n in (h, t):
                if n not in g:
                    g.add_node(n, name=names.get(n))
    for (h, t), ratio in ratios.items():
        g.add_edge(h, t, ratio=ratio)
    return g


async def outside_holdings(tx: Any, rows: list[dict[str, Any]], as_of: date, max_steps: int,
                           max_nodes: int) -> tuple[list[tuple[str, str, str | None, Any]], bool]:
    """The holdings between enterprises registered elsewhere that lie on a way from an enterprise
    the region holds (an exit) to one holding into the region (an entry), at most `max_steps`
    holdings long: read breadth-first from the exits, one step down per level (`neo4j_step`), through enterprises
    elsewhere only (a holding into the region is in its enterprise's row already). True when
    `max_nodes` enterprises elsewhere stopped the walk."""
    inside = {r["uscc"] for r in rows}
    exits = {t["id"] for r in rows for t in r.get("holdings") or [] if t["id"] not in inside}
    entries = {h["id"] for r in rows for h in r.get("holders") or []
               if h["kind"] == ENTERPRISE and h["id"] not in inside}
    if not exits or not entries or max_steps < 1:
        return [], False
    step = neo4j_step(tx, "down", as_of)
    edges: list[tuple[str, str, str | None, Any]] = []
    seen, frontier, cut = set(exits), sorted(exits), False
    for _ in range(max_steps):
        if not frontier:
            break
        found = []
        for holder, (_, held), name, ratio in await step(frontier):
            if held in inside:
                continue
            edges.append((holder, held, name, ratio))
            if held not in seen:
                if len(seen) >= max_nodes:
                    cut = True
                    continue
                seen.add(held)
                found.append(held)
        frontier = found
    # Only what leads back: the enterprises from which an entry is reached, walking backwards.
    back: dict[str, list[str]] = {}
    for h, t, _, _ in edges:
        back.setdefault(t, []).append(h)
    leads, todo = set(), [e for e in entries if e in seen]
    while todo:
        n = todo.pop()
        if n not in leads:
            leads.add(n)
            todo.extend(back.get(n, ()))
    return [e for e in edges if e[0] in leads and e[1] in leads], cut


def cycle_answer(rows: list[dict[str, Any]], max_cycles: int = 100, max_cycle_length: int = 10,
                 exact_max_scc: int = 60, outside: Iterable[tuple[str, str, str | None, Any]] = ()) -> dict[str, Any]:
    g = holding_graph(rows, outside)
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
                 max_cycle_length: int = 10, max_enterprises: int = 20000,
                 max_outside: int = 5000) -> dict[str, Any]:
    """Circular shareholdings touching the enterprises of `region` and its sub-regions on `as_of`."""
    if max_cycles < 1:
        raise InvalidParameter("max_cycles", "must be at least 1")
    if max_cycle_length < 1:
        raise InvalidParameter("max_cycle_length", "must be at least 1")
    as_of = as_of or date.today()
    reg, rows, cut = await read_region_enterprises(tx, region, as_of, max_enterprises)
    # A cycle of n holdings that leaves the region once spends n - 2 of them elsewhere.
    outside, outside_cut = await outside_holdings(tx, rows, as_of, max_cycle_length - 2, max_outside)
    out = cycle_answer(rows, max_cycles, max_cycle_length, outside=outside)
    out.update(region=reg, as_of=as_of, enterprises_truncated=cut, outside_truncated=outside_cut)
    return out
