"""Paths: GET /v1/paths (issue 4, item 2)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from graph_service.analysis import paths as analysis_paths
from graph_service.api.demo_ids import DEMO
from graph_service.api.deps import (
    Caller,
    audit_person_read,
    get_graph,
    get_settings,
    purpose_header,
    require_role,
)
from graph_service.api.errors import responses
from graph_service.api.inputs import HELD_ON, MAX_ID, IsoDate, bounded, choices, day
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.network import NetworkEdge, NetworkNode, NodeFlags, Path, PathHop, Paths
from graph_service.api.present import Presenter, json_response
from graph_service.domain.vocabulary import KEY_ROLES, PATH_RELATIONS, SubjectKind
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1", tags=["paths"], route_class=JsonRoute)

@router.get(
    "/paths",
    response_model=Paths,
    response_model_by_alias=True,
    summary="The k shortest paths between two subjects",
    description=(
        "The `k` shortest paths (at most `CREDIT_GRAPH_PATHS_MAX_COUNT`) between two enterprises or persons, along "
        "`role` and `shareholding` links held on `as_of` (or any link with `history=true`), of at most `max_depth` "
        "links (at most `CREDIT_GRAPH_PATHS_MAX_DEPTH`, 6). Paths are distinct node sequences, shortest first; each "
        "hop lists every link between its two nodes, typed (`HOLDS_ROLE`, `HOLDS_SHARES`) and dated. Computed by "
        "Neo4j's `SHORTEST` path search.\n\n"
        "Roles: `public` between enterprises only, persons on the way masked; region-scoped keys need both `from` and "
        "`to` in their region (another subject answers as an unknown id, 404), and nodes on the way outside it come "
        "masked, without flags. Audited as a person-level read when a path passes through a person."
    ),
    responses=responses(308, 401, 403, 404, 422, 503, 504),
)
async def get_paths(
    from_: str = Query(..., alias="from", max_length=MAX_ID, description="a USCC or a person's id",
                       openapi_examples={"P12 欧阳志远 (demo)": {"value": DEMO["P12"]},
                                         "E01 (demo)": {"value": DEMO["E01"]}}),
    to: str = Query(..., max_length=MAX_ID, description="a USCC or a person's id",
                    openapi_examples={"E03 湖南鑫源矿业 (demo)": {"value": DEMO["E03"]},
                                      "E06 (demo)": {"value": DEMO["E06"]}}),
    from_kind: SubjectKind | None = Query(None, description="when `from` could name both"),
    to_kind: SubjectKind | None = Query(None, description="when `to` could name both"),
    max_depth: int | None = Query(None, description="longest path in links (default and maximum "
                                                    "CREDIT_GRAPH_PATHS_MAX_DEPTH)", examples=[4]),
    k: int = Query(3, description="how many paths, 1 to CREDIT_GRAPH_PATHS_MAX_COUNT", examples=[3]),
    relations: list[str] | None = Query(None, description="`role`, `shareholding`; default both",
                                        examples=["role,shareholding"]),
    as_of: IsoDate | None = Query(None, description="the day the links are held (default today). " + HELD_ON,
                                  examples=["2026-11-26"]),
    history: bool = Query(False, description="any link, whatever its dates"),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
    purpose: str | None = Depends(purpose_header),
) -> Response:
    max_depth = bounded(max_depth, settings.paths_max_depth, 1, min(settings.paths_max_depth, 6), "max_depth")
    k = bounded(k, 3, 1, min(settings.paths_max_count, 32), "k")
    rels = choices(relations, PATH_RELATIONS, "relations")
    d = day(as_of)

    found = await analysis_paths.paths(graph, caller, from_, from_kind, to, to_kind, rels, d, history, max_depth, k)
    a, b, flags = found.source, found.target, found.flags
    pr = Presenter(caller, d, found.outside)
    nodes: dict[tuple, NetworkNode] = {}
    paths = []
    for seq, hops in found.found:
        for i, n in enumerate(seq):
            key = (n["kind"], n["id"])
            if key in nodes:
                nodes[key].depth = min(nodes[key].depth, i)
                continue
            ref = pr.ref(n["kind"], n["id"], n["name"])
            f = flags.get(key)
            nodes[key] = NetworkNode(key=pr.key(*key), **ref, region_code=n["region_code"], depth=i,
                                     flags=None if (f is None or ref["masked"]) else NodeFlags(**f))
        node_keys = [pr.key(n["kind"], n["id"]) for n in seq]
        paths.append(Path(length=len(hops), nodes=node_keys,
                          hops=[PathHop(source=node_keys[i], target=node_keys[i + 1],
                                        edges=[NetworkEdge(**pr.edge(e)) for e in hop]) for i, hop in enumerate(hops)]))
    answer = Paths(source=pr.key(*a.key), target=pr.key(*b.key), as_of=d, max_depth=max_depth, relations=rels,
                   history=history, nodes=sorted(nodes.values(), key=lambda n: (n.depth, n.key)), paths=paths)
    if pr.persons_seen and caller.sees_persons:
        await audit_person_read(graph, caller, purpose, "GET /v1/paths", a.kind, a.id, d)
    return json_response(answer, by_alias=True)
