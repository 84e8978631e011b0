"""Enterprises: GET /v1/enterprises/{uscc}."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query

from graph_service import subjects
from graph_service.api.deps import Caller, get_graph, require_role
from graph_service.api.errors import SubjectMerged, not_found, responses
from graph_service.api.examples import DEMO_USCC, ENTERPRISE_EXAMPLE, ok
from graph_service.api.inputs import AS_OF_FACTS, IsoDate, checked_uscc
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.enterprise import EnterpriseFacts
from graph_service.api.privacy import mask_persons
from graph_service.domain.vocabulary import KEY_ROLES
from graph_service.runner import Graph

router = APIRouter(prefix="/v1/enterprises", tags=["enterprises"], route_class=JsonRoute)

@router.get(
    "/{uscc}",
    response_model=EnterpriseFacts,
    summary="An enterprise's stored facts",
    description=(
        "Properties, region with its ancestors, persons holding roles in it, its shareholders, the enterprises "
        "it holds, and the credit records about it, each with dates and provenance (load, file, line).\n\n"
        "Roles: `public` sees person ids and names masked (`4310**********0135`, `王*国`); `department` only "
        "enterprises registered in its region or sub-regions (another answers 404 as an unknown one); `investigator` "
        "and `admin` everything."
    ),
    responses={**ok(ENTERPRISE_EXAMPLE), **responses(308, 401, 403, 404, 422, 503, 504)},
)
async def get_enterprise(
    uscc: str = Path(description="Unified Social Credit Code (18 characters, check character verified)",
                     openapi_examples={"demo": {"summary": "a demo enterprise", "value": DEMO_USCC}}),
    as_of: IsoDate | None = Query(None, description=AS_OF_FACTS, examples=["2024-01-01"]),
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
) -> EnterpriseFacts:
    value = checked_uscc(uscc)
    row = await subjects.enterprise(graph, value, as_of)
    if row is None:
        raise not_found("enterprise", "uscc", value)
    facts = EnterpriseFacts.of(row, as_of)
    regions = facts.region.codes() if facts.region else [c for c in [facts.region_code] if c]
    caller.check_visible(regions, not_found("enterprise", "uscc", value))
    if row["enterprise"].get("merged_into"):
        raise SubjectMerged("enterprise", value, row["enterprise"]["merged_into"], "uscc")
    return facts if caller.sees_persons else mask_persons(facts)
