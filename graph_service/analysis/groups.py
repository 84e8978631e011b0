"""Related-party groups of a region's enterprises (GET /v1/analytics/groups?region=).

The tie graph is undirected, with the region's enterprises, the persons in their roles or holding
their shares, the enterprises holding their shares (wherever registered) and their shared
addresses as nodes. A group is a connected component with at least `min_size` of the region's
enterprises. The persons that bridge a group are its articulation points: removing one splits the
group, and the answer gives how many of the region's enterprises each piece keeps.

Costs (V nodes, E ties of the region's tie graph): components and articulation points O(V + E)
(Hopcroft-Tarjan); the pieces of each reported bridge O(V_g + E_g) of its group, for at most
`max_bridges` persons per group. Betweenness centrality (Brandes, O(V E)) was not chosen: it
ranks but does not say which persons cut a group, and it is quadratic on a county-sized graph.
An address shared by more than `address_hub_limit` enterprises (a registration agent's or an
incubator's) ties nothing and is listed apart, so it cannot fuse a region into one group.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date
from typing import Any

import networkx as nx

from graph_service.analysis import InvalidParameter
from graph_service.analysis.subgraph import ENTERPRISE, PERSON, read_region_enterprises

ADDRESS = "address"
RANK_BY = ("size", "blacklisted")


def normal_address(text: str | None) -> str | None:
    if not text:
        return None
    # Full-width digits and letters and stray spaces make one address look like two.
    a = "".join(unicodedata.normalize("NFKC", text).split()).casefold()
    return a or None


def tie_graph(rows: list[dict[str, Any]], address_hub_limit: int = 50) -> tuple[nx.Graph, list[dict[str, Any]]]:
    """The undirected tie graph of the region's enterprises, and the hub addresses left out."""
    g = nx.Graph()
    by_address: dict[str, list[str]] = {}
    for r in rows:
        e = (ENTERPRISE, r["uscc"])
        g.add_node(e, name=r["name"], in_region=True, blacklisted=bool(r["blacklisted"]))
        for role in r.get("roles") or []:
            p = (PERSON, role["id"])
            g.add_node(p, name=role["name"])
            _tie(g, p, e, "role")
        for h in r.get("holders") or []:
            n = (h["kind"], h["id"])
            if n not in g:
                g.add_node(n, name=h["name"], in_region=False)
            _tie(g, n, e, "holding")
        a = normal_address(r.get("address"))
        if a:
            by_address.setdefault(a, []).append(r["uscc"])
    hubs = []
    for a, usccs in sorted(by_address.items()):
        if len(usccs) < 2:
            continue
        if len(usccs) > address_hub_limit:
            hubs.append({"address": a, "enterprises": len(usccs)})
            continue
        g.add_node((ADDRESS, a), name=a)
        for u in usccs:
            _tie(g, (ADDRESS, a), (ENTERPRISE, u), "address")
    return g, hubs


def _tie(g: nx.Graph, a, b, kind: str) -> None:
    if g.has_edge(a, b):
        g.edges[a, b]["kinds"].add(kind)
    else:
        g.add_edge(a, b, kinds={kind})


def _region_enterprises(g: nx.Graph, nodes) -> list:
    return [n for n in nodes if n[0] == ENTERPRISE and g.nodes[n].get("in_region")]


def bridges(g: nx.Graph, comp: set, max_bridges: int) -> list[dict[str, Any]]:
    sub = g.subgraph(comp)
    cut = [n for n in nx.articulation_points(sub) if n[0] == PERSON]
    cut.sort(key=lambda n: (-sub.degree(n), n))
    out = []
    for p in cut[:max_bridges]:
        rest = sub.subgraph(comp - {p})
        pieces = sorted((len(_region_enterprises(g, c)) for c in nx.connected_components(rest)), reverse=True)
        out.append({"kind": PERSON, "id": p[1], "name": g.nodes[p].get("name"), "pieces": pieces})
    return out


def group_answer(rows: list[dict[str, Any]], rank_by: str = "size", limit: int = 50, min_size: int = 2,
                 address_hub_limit: int = 50, max_bridges: int = 20, max_members: int = 200) -> dict[str, Any]:
    g, hubs = tie_graph(rows, address_hub_limit)
    groups = []
    for comp in nx.connected_components(g):
        members = sorted(_region_enterprises(g, comp))
        if len(members) < min_size:
            continue
        black = [m for m in members if g.nodes[m]["blacklisted"]]
        ties = Counter(k for _, _, d in g.subgraph(comp).edges(data=True) for k in d["kinds"])
        groups.append({
            "comp": comp,
            "size": len(members),
            "blacklisted": len(black),
            "members": [{"uscc": m[1], "name": g.nodes[m]["name"], "blacklisted": g.nodes[m]["blacklisted"]}
                        # Blacklisted members first, so a cut list still shows them.
                        for m in sorted(members, key=lambda m: (not g.nodes[m]["blacklisted"], m))][:max_members],
            "members_truncated": len(members) > max_members,
            "persons": sum(1 for n in comp if n[0] == PERSON),
            "outside_holders": sum(1 for n in comp if n[0] == ENTERPRISE and not g.nodes[n].get("in_region")),
            "shared_addresses": sorted(n[1] for n in comp if n[0] == ADDRESS),
            "ties": {k: ties.get(k, 0) for k in ("role", "holding", "address")},
            "first": members[0][1],
        })
    if rank_by == "blacklisted":
        groups.sort(key=lambda x: (-x["blacklisted"], -x["size"], x["first"]))
    else:
        groups.sort(key=lambda x: (-x["size"], -x["blacklisted"], x["first"]))
    out = []
    for rank, grp in enumerate(groups[:limit], start=1):
        comp = grp.pop("comp")
        grp.pop("first")
        out.append({"rank": rank, **grp, "bridges": bridges(g, comp, max_bridges)})
    return {"rank_by": rank_by, "groups": out, "group_count": len(groups), "groups_truncated": len(groups) > limit,
            "enterprises": sum(1 for n in g if n[0] == ENTERPRISE and g.nodes[n].get("in_region")),
            "hub_addresses": hubs}


async def groups(tx: Any, region: str, as_of: date | None = None, rank_by: str = "size", limit: int = 50,
                 min_size: int = 2, max_enterprises: int = 20000, address_hub_limit: int = 50,
                 max_bridges: int = 20) -> dict[str, Any]:
    """Related-party groups among the enterprises of `region` and its sub-regions on `as_of`."""
    if rank_by not in RANK_BY:
        raise InvalidParameter("rank_by", "must be size or blacklisted")
    if limit < 1:
        raise InvalidParameter("limit", "must be at least 1")
    if min_size < 2:
        raise InvalidParameter("min_size", "must be at least 2")
    as_of = as_of or date.today()
    reg, rows, cut = await read_region_enterprises(tx, region, as_of, max_enterprises)
    out = group_answer(rows, rank_by, limit, min_size, address_hub_limit, max_bridges)
    # A cut enterprise list can split a group in two: the answer says so.
    out.update(region=reg, as_of=as_of, enterprises_truncated=cut)
    return out
