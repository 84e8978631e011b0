"""Ownership and control: GET /v1/enterprises/{uscc}/shareholders and /beneficial-owners (issue 4, item 3).

The computing is graph_service.analysis (method and costs: docs/ownership.md); here it runs inside
one read transaction with the read timeout, and person holders are masked for the public role.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query

from graph_service.analysis import scoped
from graph_service.analysis.control import beneficial_owners
from graph_service.analysis.ownership import OwnershipCaps, shareholders
from graph_service.api.demo_ids import DEMO
from graph_service.api.deps import Caller, get_graph, get_settings, require_role
from graph_service.api.errors import responses
from graph_service.api.inputs import HELD_ON, IsoDate, checked_uscc, day
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.ownership import BeneficialOwners, ShareholderTree
from graph_service.api.privacy import mask_tree, subjects_in
from graph_service.domain.vocabulary import KEY_ROLES
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/enterprises", tags=["ownership"], route_class=JsonRoute)

USCC = Path(description="Unified Social Credit Code (check character verified)",
            openapi_examples={"H1 湖南志远控股 (top of a holding cycle, demo)": {"value": DEMO["H1"]},
                              "H3 资兴志远新材料 (demo)": {"value": DEMO["H3"]},
                              "bad check character": {"summary": "422 naming the expected character",
                                                      "value": DEMO["H1"][:-1] + "A"}})
AS_OF = Query(None, description="the day the holdings and roles are held (default today). " + HELD_ON,
              examples=["2026-11-26"])


async def _run(graph: Graph, caller: Caller, uscc: str, compute) -> dict[str, Any]:
    answer, hidden = await scoped.for_enterprise(graph, caller, checked_uscc(uscc), compute, subjects_in)
    return mask_tree(answer, hidden)


@router.get(
    "/{uscc}/shareholders",
    response_model=ShareholderTree,
    summary="Multi-level shareholder tree with integrated ratios",
    description=(
        "`direction=up`: who holds the enterprise, and who holds them, to `max_depth` levels; `down`: what it holds. "
        "Each edge carries the direct ratio on `as_of`; each node its **integrated ratio**: the sum over every "
        "holding walk of the product of the ratios along it. Circular holdings are handled exactly: the walks round "
        "a cycle form a geometric series, i.e. the linear system (I − A) y = e solved per strongly connected "
        "component over exact fractions (docs/ownership.md). Demo: 欧阳志远 holds 80 % of H1, and the cycle H1 → H2 "
        "(60 %) → H3 (50 %) → H1 (10 %) multiplies by 0.03, so his integrated ratio in H1 is 0.8 / 0.97 = 82.47 %.\n\n"
        "`min_ratio` keeps nodes at or above it (and the connectors linking them to the root). `truncated` flags "
        "where `max_depth` or `CREDIT_GRAPH_OWNERSHIP_MAX_NODES` cut the tree; the ratios are then lower bounds.\n\n"
        "Enterprise-level: every role; `public` sees person holders masked; region-scoped keys only enterprises of "
        "their region (another enterprise answers as an unknown id, 404), with every node outside it masked."
    ),
    responses=responses(308, 401, 403, 404, 422, 503, 504),
)
async def get_shareholders(
    uscc: str = USCC,
    direction: Literal["up", "down"] = Query("up", description="`up`: holders; `down`: holdings"),
    max_depth: int | None = Query(None, description="levels (1 to CREDIT_GRAPH_OWNERSHIP_MAX_DEPTH, the default)",
                                  examples=[4]),
    min_ratio: float = Query(0.0, description="keep nodes whose integrated ratio is at least this (0 to 1)",
                             examples=[0.05]),
    as_of: IsoDate | None = AS_OF,
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
) -> ShareholderTree:
    out = await _run(graph, caller, uscc, lambda tx, u: shareholders(
        tx, u, direction=direction, max_depth=max_depth, min_ratio=min_ratio, as_of=day(as_of),
        caps=OwnershipCaps.from_settings(settings)))
    return ShareholderTree(**out)


@router.get(
    "/{uscc}/beneficial-owners",
    response_model=BeneficialOwners,
    summary="Beneficial owners and the actual controller",
    description=(
        "Natural persons whose integrated ratio (all holding walks, cycles included) is at or above `threshold`, each "
        "with its heaviest holding paths; and the **actual controller** with its basis, by the first that names "
        "someone: `registered_role` (a registered actual_controller role on `as_of`), `majority_control` (more than "
        "half of the votes along a chain, through several controlled companies whose stakes add up), `position` "
        "(the legal representative, else the principal). Every basis found is listed in `candidates`.\n\n"
        "Demo (H3 资兴志远新材料): 唐丽 30 % → 0.3 / 0.97 = 30.93 % is a beneficial owner; 欧阳志远 integrates to "
        "0.24 / 0.97 = 24.74 %, just below 25 %.\n\n"
        "Enterprise-level: every role; `public` sees persons masked; region-scoped keys only enterprises of their "
        "region (another enterprise answers as an unknown id, 404), with every node outside it masked."
    ),
    responses=responses(308, 401, 403, 404, 422, 503, 504),
)
async def get_beneficial_owners(
    uscc: str = USCC,
    threshold: float = Query(0.25, description="integrated ratio at or above which a person is a beneficial owner "
                                               "(greater than 0, at most 1)", examples=[0.25]),
    as_of: IsoDate | None = AS_OF,
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
) -> BeneficialOwners:
    out = await _run(graph, caller, uscc, lambda tx, u: beneficial_owners(
        tx, u, threshold=threshold, as_of=day(as_of), caps=OwnershipCaps.from_settings(settings)))
    return BeneficialOwners(**out)
