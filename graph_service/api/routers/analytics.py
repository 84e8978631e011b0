"""Analytics with networkx on subgraphs read out of Neo4j (issue 4, item 7):
GET /v1/analytics/groups and /cycles. Computing: graph_service.analysis (docs/ownership.md)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query

from graph_service.analysis import scoped
from graph_service.analysis.cycles import cycles
from graph_service.analysis.groups import groups
from graph_service.api.demo_ids import DEMO
from graph_service.api.deps import Caller, get_graph, get_settings, require_role
from graph_service.api.errors import ApiError, responses
from graph_service.api.inputs import (
    HELD_ON,
    MAX_TEXT,
    IsoDate,
    bounded,
    checked_region,
    cursor_offset,
    day,
    decode_cursor,
    encode_cursor,
)
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.analytics import Cycles, Groups
from graph_service.api.privacy import mask_name, mask_person_id, mask_tree, subjects_in
from graph_service.domain.vocabulary import KEY_ROLES
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/analytics", tags=["analytics"], route_class=JsonRoute)

REGION = Query(..., description="GB/T 2260 code: the region and its sub-regions",
               openapi_examples={"郴州市 (demo)": {"value": DEMO["CITY"]}, "湖南省 (demo)": {"value": "430000"}})
AS_OF = Query(None, description="the day roles, holdings and records hold (default today). " + HELD_ON,
              examples=["2026-11-26"])


def _bridges(out) -> set[tuple[str, str]]:
    # A group's members are the region's enterprises: only its bridging persons may lie elsewhere.
    return {("person", b["id"]) for g in out["groups"] for b in g["bridges"]}


async def _run(graph: Graph, caller: Caller, region: str, compute, subjects=subjects_in):
    out, hidden = await scoped.for_region(graph, caller, region, compute, subjects)
    return mask_tree(out, hidden)


@router.get(
    "/groups",
    response_model=Groups,
    summary="Related-party groups of a region's enterprises",
    description=(
        "The region's enterprises tied by shared persons (roles or holdings), holdings and shared addresses; a group "
        "is a connected component with at least `min_size` of them, ranked by size or by blacklisted members, with "
        "the persons that bridge it (articulation points, Hopcroft-Tarjan, O(V + E)). An address shared by more than "
        "CREDIT_GRAPH_GROUPS_ADDRESS_HUB_LIMIT enterprises ties nothing (a registration agent's). Costs and "
        "choices: docs/ownership.md.\n\n"
        "Roles: every role; region-scoped keys their region, bridging persons registered outside it masked; "
        "`public` sees bridging persons masked."
    ),
    responses=responses(401, 403, 404, 422, 503, 504),
)
async def get_groups(
    region: str = REGION,
    as_of: IsoDate | None = AS_OF,
    rank_by: Literal["size", "blacklisted"] = Query("size", description="`size` or `blacklisted` members first"),
    min_size: int = Query(2, description="least members of the region in a group (at least 2)", examples=[2]),
    limit: int | None = Query(None, description="groups per page (default 50, at most CREDIT_GRAPH_GROUPS_MAX_GROUPS)",
                              examples=[20]),
    cursor: str | None = Query(None, max_length=MAX_TEXT, description="`next_cursor` of the previous page"),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
) -> Groups:
    code = checked_region(region, "region")
    limit = bounded(limit, min(50, settings.groups_max_groups), 1, settings.groups_max_groups, "limit")
    offset = cursor_offset(decode_cursor(cursor), settings.max_offset)
    if min_size < 2:
        raise ApiError(422, "invalid_request", "min_size: must be at least 2", "min_size")
    # No group has more members than the enterprises read; a larger bound would only overflow.
    min_size = bounded(min_size, 2, 2, settings.groups_max_enterprises, "min_size")
    out = await _run(graph, caller, code, lambda tx: groups(
        tx, code, as_of=day(as_of), rank_by=rank_by, limit=offset + limit, min_size=min_size,
        max_enterprises=settings.groups_max_enterprises, address_hub_limit=settings.groups_address_hub_limit,
        max_bridges=settings.groups_max_bridges), _bridges)
    page = out["groups"][offset:offset + limit]
    if not caller.sees_persons:
        for g in page:
            g["bridges"] = [{**b, "id": mask_person_id(b["id"]), "name": mask_name(b["name"]), "masked": True}
                            for b in g["bridges"]]
    more = out["group_count"] > offset + limit
    return Groups(region=out["region"], as_of=out["as_of"], rank_by=out["rank_by"], groups=page,
                  group_count=out["group_count"], enterprises=out["enterprises"],
                  enterprises_truncated=out["enterprises_truncated"], hub_addresses=out["hub_addresses"],
                  next_cursor=encode_cursor({"offset": offset + limit}) if more else None)


@router.get(
    "/cycles",
    response_model=Cycles,
    summary="Circular shareholding touching a region",
    description=(
        "Strongly connected components of the holding graph around the region's enterprises (Tarjan, O(V + E)), "
        "largest first; in each, the simple cycles (Johnson's algorithm bounded by `max_cycle_length`, at most "
        "`max_cycles` in all) with their ratios and products, and each member's circular holding of itself (exact "
        "walk sums). Demo: 郴州市 holds the 志远 cycle H1 → H2 (60 %) → H3 (50 %) → H1 (10 %), product 0.03.\n\n"
        "Enterprise-level: every role; region-scoped keys their region, members registered outside it masked "
        "(`masked`), in the holdings and cycles too."
    ),
    responses=responses(401, 403, 404, 422, 503, 504),
)
async def get_cycles(
    region: str = REGION,
    as_of: IsoDate | None = AS_OF,
    max_cycles: int | None = Query(None, description="cycles listed in all (default and maximum "
                                                     "CREDIT_GRAPH_CYCLES_MAX_CYCLES)", examples=[100]),
    max_cycle_length: int | None = Query(None, description="longest cycle looked for (default and maximum "
                                                           "CREDIT_GRAPH_CYCLES_MAX_CYCLE_LENGTH)", examples=[10]),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
) -> Cycles:
    code = checked_region(region, "region")
    n = bounded(max_cycles, settings.cycles_max_cycles, 1, settings.cycles_max_cycles, "max_cycles")
    length = bounded(max_cycle_length, settings.cycles_max_cycle_length, 1, settings.cycles_max_cycle_length,
                     "max_cycle_length")
    out = await _run(graph, caller, code, lambda tx: cycles(
        tx, code, as_of=day(as_of), max_cycles=n, max_cycle_length=length,
        max_enterprises=settings.groups_max_enterprises, max_outside=settings.cycles_max_outside))
    return Cycles(**out)
