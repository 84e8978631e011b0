"""Related parties read level by level out of Neo4j (GET /v1/subjects/{id}/network and /risk).

One statement per level (cypher/network/level.cypher, a branch per relation) with the
frontier's ids as lists, rather than one variable-length pattern, which enumerates paths and
explodes around hubs. Every node is expanded at most once; each expansion reads at most `fanout` edges per relation
(the root `limit`, keyset-paginated by the relation's key), so a hub with thousands of links costs
one page, and the node says how many links were left out (`more`). Relation types are a fixed list:
the caller switches branches of the statement on or off, never names a type.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import neo4j.exceptions

from graph_service.access.caller import Caller
from graph_service.domain.catalogue import catalogue
from graph_service.domain.vocabulary import RELATIONS
from graph_service.runner import Graph, rows_async
from graph_service.settings import ServiceSettings
from graph_service.subjects import Subject, outside_scope, resolve

# Per relation: the edge type, and the names of the last two positions of its edges (see the statement).
EDGE = {"role": ("HOLDS_ROLE", ("role", "title")),
        "shareholding": ("HOLDS_SHARES", ("ratio", "subscribed_capital")),
        "named_responsible": ("NAMES_RESPONSIBLE", ("record_id", "record_kind"))}
Key = tuple[str, str]  # (kind, id)
# Runs one statement in a read of its own beside the caller's transaction and gives its `rows`
# (see `beside`). The statements answer one row of `rows`, maps with dates as ISO strings, used as
# the driver gives them (packed, not converted): converting a 500-node answer costs more than the
# statement itself.
Aside = Callable[[str, dict[str, Any]], Awaitable[list[dict[str, Any]]]]
# A level with more frontier nodes than this, or flags for more nodes than SPLIT_FLAGS, is read in
# two halves at once, one beside the transaction: a hub's depth-2 answer is mostly Neo4j reading
# its second level and the flags of its nodes, while the other core is mostly idle (BENCHMARKS.md).
# Neo4j reads committed data statement by statement in either case, so a second transaction sees
# what a second statement would.
SPLIT_FRONTIER = 8
SPLIT_FLAGS = 100


@dataclass
class Node:
    kind: str
    id: str
    name: str | None
    region_code: str | None
    depth: int
    # The edge by which the walk first reached the node (None for the root): a shortest path back.
    via: str | None = None
    parent: Key | None = None
    more: dict[str, int] = field(default_factory=dict)  # relation -> links not read
    truncated: str | None = None  # "depth" | "nodes" | "fanout" when some links were not followed
    element_id: str | None = None  # Neo4j's, valid in the transaction that read it


@dataclass
class Walk:
    root: Key
    nodes: dict[Key, Node]
    # edge id (type|key) -> (type, relation, key, start_on, end_on, source id, source is a person,
    # target uscc, a, b): a and b as in EDGE; the days as the ISO strings the statement gives (null
    # when open), which compare as the days do. A tuple: a hub's answer holds about 800 edges, each
    # made here and read once by Presenter.walk_edge.
    edges: dict[str, tuple]
    next_after: dict[str, str | int]  # relation -> last key of the root's page, where more remain
    truncated: bool = False

    def path_to(self, key: Key) -> tuple[list[Key], list[str]]:
        """Nodes and edge ids from the root to `key` along the first edges that reached each node."""
        nodes, edges = [key], []
        while (n := self.nodes[nodes[-1]]).parent is not None:
            edges.append(n.via)
            nodes.append(n.parent)
        return nodes[::-1], edges[::-1]


def _split(keys: list[Key]) -> tuple[list[str], list[str]]:
    return [i for k, i in keys if k == "enterprise"], [i for k, i in keys if k == "person"]


def beside(graph: Graph) -> Aside:
    """An Aside running each statement as an auto-commit read of `graph`, with its read timeout."""
    async def run(name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return await graph.read_auto(lambda tx: rows_async(tx, name, convert=False, packed=True, **params))
    return run


async def _halves(tx: Any, aside: Aside, name: str, first: dict[str, Any], second: dict[str, Any]) -> list:
    """The rows of statement `name` with `first` in the transaction and `second` beside it, at
    once, returned once both have ended (neither is left running should the other fail: the
    transaction may be retried)."""
    a, b = await asyncio.gather(rows_async(tx, name, convert=False, packed=True, **first), aside(name, second),
                                return_exceptions=True)
    failed = [r for r in (a, b) if isinstance(r, BaseException)]
    if failed:
        # The server's own error first (a timeout says 504), not a driver error it caused.
        raise next((r for r in failed if isinstance(r, neo4j.exceptions.Neo4jError)), failed[0])
    return a + b


async def _level(tx: Any, aside: Aside | None, frontier: list[Key], params: dict[str, Any]) -> list[dict[str, Any]]:
    """The network_level rows of `frontier`, in its order (enterprises first), in two halves at
    once when it is large and `aside` is given."""
    keys = sorted(frontier, key=lambda k: k[0] != "enterprise")
    if aside is None or len(keys) <= SPLIT_FRONTIER:
        usccs, person_ids = _split(keys)
        rows = await rows_async(tx, "network/level", convert=False, packed=True, usccs=usccs, person_ids=person_ids,
                                **params)
    else:
        half = len(keys) // 2
        (ua, pa), (ub, pb) = _split(keys[:half]), _split(keys[half:])
        rows = await _halves(tx, aside, "network/level", dict(params, usccs=ua, person_ids=pa),
                             dict(params, usccs=ub, person_ids=pb))
    # The frontier's order, whichever way it was read: which nodes a cap keeps depends on it.
    at = {k: i for i, k in enumerate(keys)}
    rows.sort(key=lambda r: at[(r["kind"], r["id"])])
    return rows


async def walk(tx: Any, root: Key, root_name: str | None, root_region: str | None, depth: int,
               relations: list[str], as_of: dt.date, history: bool, root_limit: int, fanout: int,
               max_nodes: int, after: dict[str, str | int] | None = None, by_offset: bool = False,
               on_person: Callable[[], None] | None = None, aside: Aside | None = None) -> Walk:
    """Breadth-first from `root` for `depth` levels along `relations`.

    `after` (the decoded cursor) pages the root's links: only the relations it names are expanded
    from the root, from after its key (or past an offset: `by_offset`, for callers to whom a key,
    which starts with a person id, may not be shown); deeper levels are expanded up to `fanout`.
    `on_person` is called when the answer gets its first person (the root, or a node found), so
    that the caller can start what a person-level read needs while the walk goes on. `aside` lets a
    large level be read in two halves at once (SPLIT_FRONTIER).
    """
    nodes = {root: Node(root[0], root[1], root_name, root_region, 0)}
    if on_person is not None and root[0] == "person":
        on_person()
        on_person = None
    edges: dict[str, tuple] = {}
    next_after: dict[str, str | int] = {}
    truncated = False
    frontier = [root]
    for level in range(depth):
        nxt: list[Key] = []
        at_root = level == 0
        pages: dict[str, dict | None] = {}
        for rel in RELATIONS:
            if rel not in relations or (at_root and after is not None and rel not in after):
                pages[rel] = None  # not asked, or that relation's pages are exhausted
                continue
            pos = (after or {}).get(rel) if at_root else None
            pages[rel] = {"after": pos if isinstance(pos, str) else None, "skip": pos if isinstance(pos, int) else 0}
        if not any(pages.values()):
            break
        found_rows = await _level(tx, aside, frontier, dict(as_of=as_of, history=history,
                                                             limit=root_limit if at_root else fanout, **pages))
        for row in found_rows:
            here = (row["kind"], row["id"])
            for rel in relations:
                if pages[rel] is None:
                    continue
                found, skip = row[f"{rel}_edges"], pages[rel]["skip"]
                left = row[f"{rel}_remaining"] - skip - len(found)
                if left > 0:
                    nodes[here].more[rel] = left
                    nodes[here].truncated = nodes[here].truncated or "fanout"
                    truncated = True
                    if at_root and found:
                        # Keyset position, or an offset where the key (a person id) may not be shown.
                        next_after[rel] = skip + len(found) if by_offset else found[-1][0]
                kind = EDGE[rel][0]
                for (key, start, end, source, source_person, target,
                     other_person, oid, oname, oregion, element_id, a, b) in found:
                    other = ("person" if other_person else "enterprise", oid)
                    eid = f"{kind}|{key}"
                    if other not in nodes:
                        if len(nodes) >= max_nodes:
                            nodes[here].truncated = "nodes"
                            truncated = True
                            continue
                        nodes[other] = Node(other[0], oid, oname, oregion, level + 1, via=eid, parent=here,
                                            element_id=element_id)
                        if on_person is not None and other_person:
                            on_person()
                            on_person = None
                        nxt.append(other)
                    edges[eid] = (kind, rel, key, start, end, source, source_person, target, a, b)
        frontier = nxt
    if frontier and depth > 0:
        # Links beyond the last level are not read: the outermost nodes may have more.
        for k in frontier:
            nodes[k].truncated = nodes[k].truncated or "depth"
    return Walk(root, nodes, edges, next_after, truncated)


# The flags of a node with no record and no liability that day: most nodes of an answer. One
# shared map, only ever read (answers serialise it; risk and paths read it).
NO_FLAGS: dict[str, Any] = {
    "blacklisted": False, "red_listed": False, "penalised": False, "records_in_force": [], "liabilities": 0,
    "liable_records": [], "restricted": False, "favoured": False, "flagged": False, "restricted_actions": [],
    "favoured_actions": [], "measures": []}


async def flags(tx: Any, keys: list[Key], as_of: dt.date, walk: Walk | None = None,
                aside: Aside | None = None) -> dict[Key, dict[str, Any]]:
    """Liability and risk flags of `keys` on `as_of` (see cypher/network/flags.cypher), with
    the fields of NodeFlags in its order. The statement answers only the nodes that have a record
    or a liability that day; most have neither. A `walk` read in the same transaction gives the
    element ids of the nodes it found; `aside` lets many of them be read in two halves at once
    (SPLIT_FLAGS). An element id names the same node in any transaction while the node exists;
    the statement answers each node's kind and id, which key the flags."""
    known = walk.nodes if walk is not None else {}
    element_ids: list[str] = []
    by_key: list[Key] = []
    for k in keys:
        element_id = n.element_id if (n := known.get(k)) is not None else None
        if element_id is None:
            by_key.append(k)
        else:
            element_ids.append(element_id)
    usccs, person_ids = _split(by_key)
    measures = catalogue().measures
    out: dict[Key, dict[str, Any]] = dict.fromkeys(keys, NO_FLAGS)
    if aside is None or len(element_ids) <= SPLIT_FLAGS:
        found = await rows_async(tx, "network/flags", convert=False, packed=True, element_ids=element_ids,
                                 usccs=usccs, person_ids=person_ids, as_of=as_of)
    else:
        half = len(element_ids) // 2
        found = await _halves(tx, aside, "network/flags",
                              dict(element_ids=element_ids[:half], usccs=usccs, person_ids=person_ids, as_of=as_of),
                              dict(element_ids=element_ids[half:], usccs=[], person_ids=[], as_of=as_of))
    for r in found:
        kinds = [x["kind"] for x in r["records"]]
        codes = sorted({m for lia in r["liabilities"] for m in (lia["measures"] or [])})
        effects = {measures[c].effect for c in codes if c in measures}
        out[(r["kind"], r["id"])] = {
            "blacklisted": "black" in kinds,
            "red_listed": "red" in kinds,
            "penalised": "penalty" in kinds,
            "records_in_force": [x["record_id"] for x in r["records"]],
            "liabilities": len(r["liabilities"]),
            "liable_records": sorted({lia["record_id"] for lia in r["liabilities"]}),
            "restricted": "restrict" in effects,
            "favoured": "favour" in effects,
            "flagged": "flag" in effects,
            "restricted_actions": sorted({a for c in codes if c in measures and measures[c].effect == "restrict"
                                          for a in measures[c].actions}),
            "favoured_actions": sorted({a for c in codes if c in measures and measures[c].effect == "favour"
                                        for a in measures[c].actions}),
            "measures": codes,
        }
    return out


async def read_network(tx: Any, subject: Subject, depth: int, rels: list[str], as_of: dt.date, history: bool,
                       limit: int, settings: ServiceSettings, after: dict | None = None, by_offset: bool = False,
                       on_person: Callable[[], None] | None = None,
                       aside: Aside | None = None) -> tuple[Walk, dict[Key, dict[str, Any]]]:
    """The walk and the flags of a network answer, in the caller's transaction (the endpoint and
    the start-up warm-up); large levels and flag lists in two halves at once with `aside`."""
    walk_ = await walk(tx, subject.key, subject.name, subject.region_code, depth, rels, as_of, history, limit,
                       settings.network_fanout, settings.network_max_nodes, after, by_offset, on_person=on_person,
                       aside=aside)
    return walk_, await flags(tx, list(walk_.nodes), as_of, walk_, aside)


@dataclass
class Network:
    subject: Subject
    walk: Walk
    flags: dict[Key, dict[str, Any]]
    outside: frozenset[Key]


async def network(graph: Graph, caller: Caller, id_: str, kind: str | None, depth: int, rels: list[str],
                  as_of: dt.date, history: bool, limit: int, settings: ServiceSettings,
                  after: dict | None = None, by_offset: bool = False,
                  on_person: Callable[[Subject], None] | None = None) -> Network:
    """GET /v1/subjects/{id}/network in one read transaction: the subject as `caller` may read it,
    the walk, the flags and the nodes outside the key's region. `on_person(subject)` is called
    once the answer holds a person."""
    async def work(tx: Any) -> Network:
        subject = await resolve(tx, id_, kind, caller=caller)
        found = (lambda: on_person(subject)) if on_person is not None else None
        walk_, flags_ = await read_network(tx, subject, depth, rels, as_of, history, limit, settings, after,
                                           by_offset, on_person=found, aside=beside(graph))
        return Network(subject, walk_, flags_, await outside_scope(tx, caller, walk_.nodes))

    return await graph.read_tx(work)
