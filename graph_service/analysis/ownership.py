"""Integrated (penetrated) ownership through chains and circular holdings, and the shareholder tree.

The integrated ratio of a holder h in an enterprise t is the sum, over every walk h -> ... -> t in
the holding graph, of the product of the direct ratios along it. A cycle makes the walks
infinitely many; their sum is the solution of a linear system: with y_n the sum over the walks
from n to t (the empty walk counting 1 when n = t),

    y_n = [n = t] + sum over holdings n -> m of ratio(n, m) * y_m,   i.e.  (I - A) y = e_t,

and the integrated ratio of h in t is y_h (h != t); y_t - 1 is t's circular holding of itself.
The system is solved one strongly connected component at a time, in reverse topological order of
the condensation: outside cycles this is a plain sum of products, inside a cycle a small dense
system solved exactly over Fractions (numpy in floating point past `exact_max_scc` members).
Details and the worked cycle: docs/ownership.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

import networkx as nx

from graph_service.analysis import InvalidParameter, NotFound
from graph_service.analysis.subgraph import ENTERPRISE, HoldingSubgraph, Node, read_enterprise, read_holdings
from graph_service.errors import ServiceError
from graph_service.settings import ServiceSettings, service_settings


@dataclass(frozen=True)
class OwnershipCaps:
    max_depth: int
    max_nodes: int
    # Cycles up to this many members are solved exactly; larger ones in float64 with numpy.
    exact_max_scc: int = 60
    # Paths shown per beneficial owner or controller, the heaviest first.
    max_paths: int = 10

    @classmethod
    def from_settings(cls, settings: ServiceSettings | None = None) -> OwnershipCaps:
        s = settings or service_settings()
        return cls(max_depth=s.ownership_max_depth, max_nodes=s.ownership_max_nodes)


class ClosedCycle(ServiceError, ArithmeticError):
    """A cycle whose members hold all of one another: the walk sum diverges (I - A is singular)."""


@dataclass
class WalkSums:
    # Sum over walks from each node to the target (None: through a closed cycle, unbounded).
    values: dict[Any, Fraction | float | None]
    exact: bool  # False when some cycle was solved in floating point
    closed_cycles: list[list[Any]]
    cycles: list[list[Any]]  # the strongly connected components with a cycle


def walk_sums(succ: Mapping[Any, Mapping[Any, Fraction]], target: Any,
              exact_max_scc: int = 60) -> WalkSums:
    """y_n = [n = target] + sum_m succ[n][m] * y_m for every node n of `succ` (see module doc)."""
    g = nx.DiGraph()
    g.add_nodes_from(succ)
    g.add_node(target)
    for n, outs in succ.items():
        for m in outs:
            g.add_edge(n, m)
    cond = nx.condensation(g)
    y: dict[Any, Fraction | float | None] = {}
    exact, closed, cycles = True, [], []
    for c in reversed(list(nx.topological_sort(cond))):
        members = sorted(cond.nodes[c]["members"], key=repr)
        inside = set(members)
        has_cycle = len(members) > 1 or g.has_edge(members[0], members[0])
        if has_cycle:
            cycles.append(members)
        # The part of each member's sum that leaves the component is already known.
        b: list[Fraction | float | None] = []
        for n in members:
            acc: Fraction | float | None = Fraction(1) if n == target else Fraction(0)
            for m, w in succ.get(n, {}).items():
                if m in inside:
                    continue
                ym = y[m]
                acc = None if (acc is None or ym is None) else acc + w * ym
            b.append(acc)
        if not has_cycle:
            y[members[0]] = b[0]
            continue
        if any(v is None for v in b):
            # Every member reaches every other, so one unbounded exit makes them all unbounded.
            y.update((n, None) for n in members)
            continue
        if all(v == 0 for v in b):
            y.update((n, Fraction(0)) for n in members)
            continue
        idx = {n: i for i, n in enumerate(members)}
        try:
            if len(members) <= exact_max_scc:
                sol: list[Fraction | float] = list(_solve_exact(members, idx, succ, b))
            else:
                sol = list(_solve_float(members, idx, succ, b))
                exact = False
        except ClosedCycle:
            closed.append(members)
            for n in members:
                y[n] = None
            continue
        for n, v in zip(members, sol):
            y[n] = v
    return WalkSums({n: y.get(n, Fraction(0)) for n in g.nodes}, exact, closed, cycles)


def _solve_exact(members, idx, succ, b) -> list[Fraction]:
    k = len(members)
    # Augmented rows of (I - W) | b, W the ratios among the members.
    rows = [[Fraction(0)] * k + [Fraction(b[i])] for i in range(k)]
    for i, n in enumerate(members):
        rows[i][i] += 1
        for m, w in succ.get(n, {}).items():
            if m in idx:
                rows[i][idx[m]] -= w
    for col in range(k):
        piv = next((r for r in range(col, k) if rows[r][col] != 0), None)
        if piv is None:
            raise ClosedCycle(members)
        rows[col], rows[piv] = rows[piv], rows[col]
        p = rows[col][col]
        pivot_row = [v / p for v in rows[col]]
        rows[col] = pivot_row
        for r in range(k):
            if r != col and rows[r][col] != 0:
                f = rows[r][col]
                rows[r] = [a - f * c for a, c in zip(rows[r], pivot_row)]
    return [rows[i][k] for i in range(k)]


def _solve_float(members, idx, succ, b) -> list[float]:
    import numpy as np

    k = len(members)
    m = np.eye(k)
    for i, n in enumerate(members):
        for t, w in succ.get(n, {}).items():
            if t in idx:
                m[i, idx[t]] -= float(w)
    if np.linalg.cond(m) > 1e12:
        raise ClosedCycle(members)
    return [float(v) for v in np.linalg.solve(m, np.array([float(v) for v in b]))]


def integrated_ratios(g: HoldingSubgraph, exact_max_scc: int = 60) -> WalkSums:
    """Integrated ratio of every holder in the root (up) or of the root in every node (down).

    The value at the root itself is its circular holding of itself (walks of length >= 1).
    Walking down is walking up the reversed graph: the walks root -> d are the walks d -> root there.
    """
    succ = g.successors() if g.direction == "up" else g.predecessors()
    ws = walk_sums(succ, g.root, exact_max_scc)
    r = ws.values.get(g.root)
    if r is not None:
        ws.values[g.root] = r - 1
    return ws


def as_float(v: Fraction | float | None) -> float | None:
    return None if v is None else float(v)


def _kept(g: HoldingSubgraph, values: Mapping[Node, Any], min_ratio: float) -> set[Node]:
    """Holders at or above min_ratio, plus the nodes that connect them to the root."""
    if min_ratio <= 0:
        return set(g.depth)
    dg = nx.DiGraph(list(g.ratios))
    dg.add_nodes_from(g.depth)
    if g.direction == "down":
        dg = dg.reverse(copy=False)
    keep = {n for n in g.depth if n != g.root and (values[n] is None or values[n] >= min_ratio)}
    # Up: a kept holder reaches the root through the enterprises it holds; down: reversed.
    for n in list(keep):
        keep |= nx.descendants(dg, n)
    keep.add(g.root)
    return keep


def tree_answer(g: HoldingSubgraph, ws: WalkSums, min_ratio: float = 0.0) -> dict[str, Any]:
    values = ws.values
    keep = _kept(g, values, min_ratio)
    in_cycle = {n: i for i, c in enumerate(ws.cycles) for n in c}
    nodes = []
    for n in sorted(keep, key=lambda n: (g.depth[n], -(as_float(values.get(n)) or 0.0), n)):
        if n == g.root:
            continue
        v = values.get(n)
        nodes.append({
            "kind": n[0], "id": n[1], "name": g.names.get(n), "depth": g.depth[n],
            "integrated_ratio": as_float(v),
            "connector": v is not None and float(v) < min_ratio,
            "truncated": g.truncated.get(n),
        })
    edges = [
        {"holder_kind": h[0], "holder": h[1], "held": t[1], "ratio": float(r),
         "in_cycle": h in in_cycle and in_cycle.get(h) == in_cycle.get(t)}
        for (h, t), r in sorted(g.ratios.items(), key=lambda kv: (g.depth[kv[0][0]] + g.depth[kv[0][1]], kv[0]))
        if h in keep and t in keep
    ]
    return {
        "root": {"kind": g.root[0], "id": g.root[1], "name": g.names.get(g.root),
                 "truncated": g.truncated.get(g.root)},
        "direction": g.direction,
        "min_ratio": min_ratio,
        "nodes": nodes,
        "edges": edges,
        # The root's share of itself through cycles (0 when it is on none).
        "self_holding_ratio": as_float(values.get(g.root)),
        "cycles": [[n[1] for n in c] for c in ws.cycles],
        "closed_cycles": [[n[1] for n in c] for c in ws.closed_cycles],
        "exact": ws.exact,
        # When a cap cut the walk, the integrated ratios are lower bounds (walks beyond are missed).
        "truncated": bool(g.truncated),
    }


def check_params(direction: str, max_depth: int, min_ratio: float, caps: OwnershipCaps) -> None:
    if direction not in ("up", "down"):
        raise InvalidParameter("direction", "must be up or down")
    if not 1 <= max_depth <= caps.max_depth:
        raise InvalidParameter("max_depth", f"must be between 1 and {caps.max_depth}")
    if not 0 <= min_ratio <= 1:
        raise InvalidParameter("min_ratio", "must be between 0 and 1")


async def shareholders(tx: Any, uscc: str, direction: str = "up", max_depth: int | None = None,
                       min_ratio: float = 0.0, as_of: date | None = None,
                       caps: OwnershipCaps | None = None) -> dict[str, Any]:
    """The multi-level shareholder tree of one enterprise (GET /v1/enterprises/{uscc}/shareholders).

    Raises NotFound for an unknown uscc, InvalidParameter for a parameter out of range.
    """
    caps = caps or OwnershipCaps.from_settings()
    max_depth = caps.max_depth if max_depth is None else max_depth
    check_params(direction, max_depth, min_ratio, caps)
    as_of = as_of or date.today()
    root = await read_enterprise(tx, uscc)
    if root is None:
        raise NotFound("enterprise", "uscc", uscc)
    g = await read_holdings(tx, uscc, direction, as_of, max_depth, caps.max_nodes, root["name"])
    ws = integrated_ratios(g, caps.exact_max_scc)
    out = tree_answer(g, ws, min_ratio)
    out.update(as_of=as_of, max_depth=max_depth)
    return out


__all__ = ["ENTERPRISE", "ClosedCycle", "OwnershipCaps", "WalkSums", "integrated_ratios", "shareholders",
           "tree_answer", "walk_sums"]
