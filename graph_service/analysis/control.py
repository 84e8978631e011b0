"""Beneficial owners and the actual controller of an enterprise (GET /v1/enterprises/{uscc}/beneficial-owners).

Beneficial owners: the natural persons whose integrated ratio (ownership.walk_sums: all walks,
cycles included) reaches the threshold, with their heaviest holding paths.

Control is votes, not value: a holder controls an enterprise when the shares it holds directly
plus those held by the enterprises it already controls exceed one half (Company Law Art 265:
controlling shareholder > 50 %). Iterated to a fixpoint this is "majority control along a chain",
also through several controlled companies whose stakes add up. The actual controller is chosen by
the first basis that names someone, all bases being listed as candidates:
  1. `registered_role`: persons registered in the role actual_controller on the day;
  2. `majority_control`: the ultimate majority controller, a person or an enterprise that no
     other controller of the target controls;
  3. `position`: the legal representative, or failing one the principal (主要负责人).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from fractions import Fraction
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from graph_service.analysis import InvalidParameter, NotFound
from graph_service.analysis.ownership import OwnershipCaps, as_float, integrated_ratios
from graph_service.analysis.subgraph import (
    PERSON,
    HoldingSubgraph,
    Node,
    read_control_roles,
    read_enterprise,
    read_holdings,
)

HALF = Fraction(1, 2)
CONTROL_ROLES = ["actual_controller", "legal_representative", "principal"]


def controlled_by(g: HoldingSubgraph, who: Node) -> set[Node]:
    """The enterprises of `g` that `who` controls by majority, directly or through others it controls."""
    pred = g.predecessors()
    controlled: set[Node] = set()
    changed = True
    while changed:
        changed = False
        voters = controlled | {who}
        # Control can only spread to enterprises held by a current voter.
        candidates = {t for (h, t) in g.ratios if h in voters} - controlled - {who}
        for t in sorted(candidates):
            votes = sum((r for h, r in pred[t].items() if h in voters), Fraction(0))
            if votes > HALF:
                controlled.add(t)
                changed = True
    return controlled


def majority_controllers(g: HoldingSubgraph) -> list[tuple[Node, set[Node]]]:
    """Every node controlling the root, with the enterprises it controls, ultimate ones first."""
    # Control starts with more than half of one enterprise held directly: nobody else can start.
    starters = sorted({h for (h, t), r in g.ratios.items() if r > HALF and h != g.root})
    found = [(c, s) for c in starters if g.root in (s := controlled_by(g, c))]
    ultimate = [(c, s) for c, s in found if not any(c in s2 for c2, s2 in found if c2 != c)]
    rest = [(c, s) for c, s in found if (c, s) not in ultimate]
    return ultimate + sorted(rest, key=lambda cs: -len(cs[1]))


def heaviest_paths(g: HoldingSubgraph, source: Node, within: set[Node] | None, k: int) -> list[dict[str, Any]]:
    """Up to k simple holding paths source -> root, largest product of ratios first (Yen's algorithm)."""
    dg = nx.DiGraph()
    for (h, t), r in g.ratios.items():
        if within is None or (h in within and t in within):
            # -log turns the largest product into the shortest path; a 100 % holding weighs 0.
            dg.add_edge(h, t, weight=-math.log(float(r)), ratio=r)
    if source not in dg or g.root not in dg or source == g.root:
        return []
    try:
        paths = list(islice(nx.shortest_simple_paths(dg, source, g.root, weight="weight"), k))
    except nx.NetworkXNoPath:
        return []
    out = []
    for p in paths:
        ratios = [dg.edges[a, b]["ratio"] for a, b in pairwise(p)]
        out.append({
            "nodes": [{"kind": n[0], "id": n[1], "name": g.names.get(n)} for n in p],
            "ratios": [float(r) for r in ratios],
            "product": float(math.prod(ratios, start=Fraction(1))),
        })
    return out


def _who(g: HoldingSubgraph, n: Node, values) -> dict[str, Any]:
    return {"kind": n[0], "id": n[1], "name": g.names.get(n), "integrated_ratio": as_float(values.get(n, Fraction(0)))}


def control_answer(g: HoldingSubgraph, roles: Iterable[dict[str, Any]], threshold: float,
                   caps: OwnershipCaps) -> dict[str, Any]:
    ws = integrated_ratios(g, caps.exact_max_scc)
    values = ws.values
    owners = []
    for n in g.depth:
        v = values.get(n)
        if n[0] == PERSON and v is not None and v >= Fraction(repr(float(threshold))):
            owners.append({**_who(g, n, values), "paths": heaviest_paths(g, n, None, caps.max_paths)})
    owners.sort(key=lambda o: (-o["integrated_ratio"], o["id"]))

    candidates: list[dict[str, Any]] = []
    roles = list(roles)
    for r in roles:
        if r["role"] != "actual_controller":
            continue
        n = (PERSON, r["person_id"])
        g.names.setdefault(n, r["name"])
        candidates.append({"basis": "registered_role", "role": r["role"], "title": r.get("title"),
                           **_who(g, n, values), "paths": heaviest_paths(g, n, None, caps.max_paths)})
    pred = g.predecessors()[g.root]
    for c, controlled in majority_controllers(g):
        votes = sum((r for h, r in pred.items() if h in controlled | {c}), Fraction(0))
        candidates.append({
            "basis": "majority_control", **_who(g, c, values),
            "voting_ratio": float(votes),
            # The holders above an ultimate enterprise controller were not all read.
            "uncertain": c in g.truncated,
            "paths": heaviest_paths(g, c, controlled | {c, g.root}, caps.max_paths),
        })
    for role in ("legal_representative", "principal"):
        for r in roles:
            if r["role"] == role:
                n = (PERSON, r["person_id"])
                g.names.setdefault(n, r["name"])
                candidates.append({"basis": "position", "role": role, "title": r.get("title"),
                                   **_who(g, n, values), "paths": heaviest_paths(g, n, None, caps.max_paths)})

    controller = None
    for basis in ("registered_role", "majority_control", "position"):
        chosen = [c for c in candidates if c["basis"] == basis]
        if basis == "majority_control":
            chosen = chosen[:1]  # the ultimate one; intermediate controllers stay candidates
        if basis == "position":
            chosen = [c for c in chosen if c["role"] == chosen[0]["role"]] if chosen else []
        if chosen:
            controller = {"basis": basis, "controllers": chosen}
            break
    return {
        "threshold": threshold,
        "beneficial_owners": owners,
        "actual_controller": controller,
        "candidates": candidates,
        "exact": ws.exact,
        "closed_cycles": [[n[1] for n in c] for c in ws.closed_cycles],
        "truncated": bool(g.truncated),
    }


async def beneficial_owners(tx: Any, uscc: str, threshold: float = 0.25, as_of: date | None = None,
                            caps: OwnershipCaps | None = None) -> dict[str, Any]:
    """Natural persons at or above `threshold` and the actual controller with its basis and paths.

    Reads the holders up to the caps' depth and node limits. Raises NotFound, InvalidParameter.
    """
    caps = caps or OwnershipCaps.from_settings()
    if not 0 < threshold <= 1:
        raise InvalidParameter("threshold", "must be greater than 0 and at most 1")
    as_of = as_of or date.today()
    root = await read_enterprise(tx, uscc)
    if root is None:
        raise NotFound("enterprise", "uscc", uscc)
    g = await read_holdings(tx, uscc, "up", as_of, caps.max_depth, caps.max_nodes, root["name"])
    roles = await read_control_roles(tx, uscc, CONTROL_ROLES, as_of)
    out = control_answer(g, roles, threshold, caps)
    out.update(enterprise={"uscc": uscc, "name": root["name"]}, as_of=as_of)
    return out
