"""Reading the subgraphs the analyses work on, out of Neo4j, within depth and node caps.

Every reader takes the caller's transaction (`neo4j.AsyncManagedTransaction` inside
`session.execute_read`, or an explicit `AsyncTransaction`), so the caller's transaction timeout
bounds every read and one answer sees one snapshot.

The holding graph is read breadth-first, one statement per level (`ownership/holders_of`
upwards, `ownership/holdings_of` downwards), rather than with one variable-length pattern:
a variable-length pattern enumerates paths, which explodes on dense or cyclic holdings, while a
level step reads each holding once and lets the node cap stop the walk between two levels.
Rows come as the driver gives them (`convert=False`): the walks use ids, names and ratios only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from graph_service.analysis import NotFound
from graph_service.runner import rows_async

# A node of the holding graph: ("enterprise", uscc) or ("person", person_id). Kinds are kept
# with the id because nothing in the id formats keeps an all-digit USCC apart from a citizen ID.
Node = tuple[str, str]
ENTERPRISE, PERSON = "enterprise", "person"

# One level step: from the ids of the frontier enterprises, the rows
# (frontier uscc, neighbour node, neighbour name, ratio) of the holdings that cross to neighbours.
Step = Callable[[list[str]], Awaitable[Iterable[tuple[str, Node, str | None, Any]]]]


def exact_ratio(value: Any) -> Fraction | None:
    """The ratio as the decimal it was reported as (0.6 -> 3/5), or None when it is no ratio.

    Neo4j stores a float; its shortest repr is the decimal the bundle carried (for up to 15
    significant digits), so the arithmetic after this is exact in the reported figures.
    """
    if value is None or isinstance(value, bool):
        return None
    r = Fraction(repr(float(value)))
    return r if r > 0 else None


@dataclass
class HoldingSubgraph:
    """Holdings around one enterprise, always stored holder -> held whatever the walk direction."""

    root: Node
    direction: str  # "up": the holders of root and theirs; "down": what root holds and so on
    ratios: dict[tuple[Node, Node], Fraction] = field(default_factory=dict)
    names: dict[Node, str | None] = field(default_factory=dict)
    depth: dict[Node, int] = field(default_factory=dict)
    # Nodes whose neighbours were not all read: "depth" (max_depth reached) or "nodes" (node cap).
    truncated: dict[Node, str] = field(default_factory=dict)

    def successors(self) -> dict[Node, dict[Node, Fraction]]:
        out: dict[Node, dict[Node, Fraction]] = {n: {} for n in self.depth}
        for (h, t), r in self.ratios.items():
            out[h][t] = r
        return out

    def predecessors(self) -> dict[Node, dict[Node, Fraction]]:
        out: dict[Node, dict[Node, Fraction]] = {n: {} for n in self.depth}
        for (h, t), r in self.ratios.items():
            out[t][h] = r
        return out


async def explore(root: Node, root_name: str | None, direction: str, max_depth: int, max_nodes: int,
                  step: Step) -> HoldingSubgraph:
    """Breadth-first read of the holding graph from `root`, `max_depth` levels, `max_nodes` nodes.

    The result is the subgraph induced by the nodes read: every admitted enterprise is stepped
    from once (the last level too, so holdings closing a cycle among admitted nodes are kept and
    holdings to nodes beyond the depth mark their node truncated). Among the new neighbours of a
    level, the largest ratios are admitted first when the node cap bites.
    """
    g = HoldingSubgraph(root=root, direction=direction)
    g.depth[root] = 0
    g.names[root] = root_name
    frontier = [root]
    while frontier:
        rows = await step([n[1] for n in frontier])
        by_pair: dict[tuple[Node, Node], Fraction] = {}
        for fid, other, name, ratio in rows:
            r = exact_ratio(ratio)
            if r is None:
                continue
            here = (ENTERPRISE, fid)
            # Several tranches of one holder in one enterprise on the same day add up.
            by_pair[(here, other)] = by_pair.get((here, other), Fraction(0)) + r
            g.names.setdefault(other, name)
        nxt: list[Node] = []
        for (here, other), r in sorted(by_pair.items(), key=lambda kv: (-kv[1], kv[0][0][1], kv[0][1])):
            if other not in g.depth:
                if g.depth[here] + 1 > max_depth:
                    g.truncated.setdefault(here, "depth")
                    continue
                if len(g.depth) >= max_nodes:
                    g.truncated.setdefault(here, "nodes")
                    continue
                g.depth[other] = g.depth[here] + 1
                if other[0] == ENTERPRISE:
                    nxt.append(other)
            pair = (other, here) if direction == "up" else (here, other)
            g.ratios[pair] = r
        # Names of neighbours left outside are not part of the answer.
        g.names = {n: v for n, v in g.names.items() if n in g.depth}
        frontier = nxt
    return g


def neo4j_step(tx: Any, direction: str, as_of: date) -> Step:
    """A level step reading from Neo4j on `as_of`."""

    async def up(usccs: list[str]):
        rows = await rows_async(tx, "ownership/holders_of", convert=False, usccs=usccs, as_of=as_of)
        return [(r["held"], (r["holder_kind"], r["holder"]), r["holder_name"], r["ratio"]) for r in rows]

    async def down(usccs: list[str]):
        rows = await rows_async(tx, "ownership/holdings_of", convert=False, usccs=usccs, as_of=as_of)
        return [(r["holder"], (ENTERPRISE, r["held"]), r["held_name"], r["ratio"]) for r in rows]

    return up if direction == "up" else down


async def read_enterprise(tx: Any, uscc: str) -> dict[str, Any] | None:
    rows = await rows_async(tx, "ownership/root", convert=False, uscc=uscc)
    return rows[0] if rows else None


async def read_holdings(tx: Any, uscc: str, direction: str, as_of: date, max_depth: int,
                        max_nodes: int, root_name: str | None = None) -> HoldingSubgraph:
    """Holdings reachable up or down from one enterprise within `max_depth` as of `as_of`."""
    return await explore((ENTERPRISE, uscc), root_name, direction, max_depth, max_nodes,
                         neo4j_step(tx, direction, as_of))


async def read_control_roles(tx: Any, uscc: str, roles: list[str], as_of: date) -> list[dict[str, Any]]:
    return await rows_async(tx, "ownership/control_roles", convert=False, uscc=uscc, roles=roles, as_of=as_of)


async def read_region_enterprises(tx: Any, region: str, as_of: date,
                                  limit: int) -> tuple[dict[str, Any], list[dict[str, Any]], bool]:
    """The region (NotFound when unknown), its enterprises with their ties (see the statement), and
    True when `limit` cut them."""
    found = await rows_async(tx, "analytics/region", convert=False, region=region)
    if not found:
        raise NotFound("region", "region", region)
    rows = await rows_async(tx, "analytics/region_enterprises", convert=False, region=region, as_of=as_of,
                            limit=limit + 1)
    return found[0], rows[:limit], len(rows) > limit
