"""Persons: GET /v1/persons/{person_id}."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Path, Query

from graph_service import subjects
from graph_service.api.deps import (
    Caller,
    audit_person_read,
    check_purpose,
    get_graph,
    purpose_header,
    require_role,
)
from graph_service.api.errors import SubjectMerged, not_found, responses
from graph_service.api.examples import DEMO_PERSON_ID, PERSON_EXAMPLE, ok
from graph_service.api.inputs import AS_OF_FACTS, IsoDate, checked_person_id
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.person import PersonFacts
from graph_service.runner import Graph

router = APIRouter(prefix="/v1/persons", tags=["persons"], route_class=JsonRoute)


@router.get(
    "/{person_id}",
    response_model=PersonFacts,
    summary="A person's stored facts",
    description=(
        "Properties, region with its ancestors, roles held in enterprises and shareholdings with their dates, "
        "the credit records about the person and the records naming the person directly responsible, each with "
        "provenance.\n\n"
        "A person-level read: not open to the `public` role (403). `department` keys see persons registered in "
        "their region or sub-regions (another answers 404 as an unknown one). Every answered read is written to the "
        "audit log (`AuditEntry`); "
        "investigators must state their purpose in `X-Purpose` (422 `purpose_required` without it)."
    ),
    responses={**ok(PERSON_EXAMPLE), **responses(308, 401, 403, 404, 422, 503, 504)},
)
async def get_person(
    person_id: str = Path(description="identity document number; for a resident ID the 18-character citizen ID "
                                      "with its check character, or its first-generation 15-digit form (upgraded: "
                                      "either form finds the person)",
                          openapi_examples={"demo": {"summary": "a demo person", "value": DEMO_PERSON_ID}}),
    id_type: Literal["resident_id", "passport", "other"] = Query(
        "resident_id", description="how `person_id` is checked: a resident ID's checksum and birth date, "
                                   "or only its form for passports and other documents"),
    as_of: IsoDate | None = Query(None, description=AS_OF_FACTS, examples=["2024-01-01"]),
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role("department", "investigator", "admin")),
    purpose: str | None = Depends(purpose_header),
) -> PersonFacts:
    value = checked_person_id(person_id, id_type)
    check_purpose(caller, purpose)
    row = await subjects.person(graph, value, as_of)
    if row is None:
        raise not_found("person", "person_id", value)
    facts = PersonFacts.of(row, as_of)
    regions = facts.region.codes() if facts.region else [c for c in [facts.region_code] if c]
    caller.check_visible(regions, not_found("person", "person_id", value))
    if row["person"].get("merged_into"):
        raise SubjectMerged("person", value, row["person"]["merged_into"], "person_id")
    await audit_person_read(graph, caller, purpose, "GET /v1/persons/{person_id}", "person", value, as_of)
    return facts
