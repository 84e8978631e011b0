"""GET /v1/analytics/duplicates: candidate pairs of one subject under two ids (issue 17 point 4).
Finding and scoring: graph_service.identity.duplicates (docs/search.md, "Identity")."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from graph_service.api.demo_ids import DEMO
from graph_service.api.deps import (
    Caller,
    audit_person_reads,
    check_purpose,
    get_graph,
    get_settings,
    purpose_header,
    require_role,
)
from graph_service.api.errors import responses
from graph_service.api.inputs import MAX_TEXT, bounded, checked_region, cursor_offset, decode_cursor, encode_cursor
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.identity import Duplicates
from graph_service.domain.vocabulary import SubjectKind
from graph_service.identity.duplicates import KINDS, duplicates
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/analytics", tags=["analytics", "identity"], route_class=JsonRoute)


@router.get(
    "/duplicates",
    response_model=Duplicates,
    response_model_exclude_none=True,
    summary="Candidate duplicates: one subject under two ids",
    description=(
        "Pairs of subjects registered in the region (and its sub-regions) that may be one subject under two ids: "
        "persons with the same name and birth date (positions 7-14 of an 18-digit citizen ID) under different ids, "
        "enterprises with the same name and address under different USCCs. Each pair has a score in [0, 1], the sum "
        "of the weights of its `reasons` (features): for persons the same sex (+0.1; a different sex -0.4), the same "
        "address code (+0.1), ids one or two digits apart (+0.15), a common enterprise (+0.15) on top of 0.5 for the "
        "name and birth date; for enterprises a common legal representative (+0.2), another common person (+0.1), "
        "the same establishment date (+0.1), the same registering region (+0.05), USCCs one or two characters apart "
        "(+0.05) on top of 0.5 for the name and address. Best first, in pages (`limit`, `next_cursor`).\n\n"
        "Pairs an admin judged `different` (POST /v1/resolutions) are not listed; a subject merged into another by "
        "a `same` judgement is no candidate any more. Both subjects of a pair lie in the region: ask the common "
        "ancestor (the province) for pairs across two cities. Method: docs/search.md, \"Identity\".\n\n"
        "Example: with the demo bundle and a second 刘建国 born 1968-04-12 (`432801196804121377`, one digit from "
        "P01 `432801196804121350`), `region=431000` lists the pair with score 0.85 (name and birth date 0.5, both "
        "male 0.1, address code 432801 0.1, ids one digit apart 0.15).\n\n"
        "Roles: `investigator` and `admin`. Listing persons is a person-level read: audited, investigators state "
        "`X-Purpose` (not needed with `kind=enterprise`). Region-scoped keys ask their region or below (403 "
        "`outside_region`)."
    ),
    responses=responses(401, 403, 404, 422, 503, 504),
)
async def get_duplicates(
    region: str = Query(..., description="GB/T 2260 code: the region and its sub-regions",
                        openapi_examples={"郴州市 (demo)": {"value": DEMO["CITY"]},
                                          "湖南省 (demo)": {"value": "430000"}}),
    kind: SubjectKind | None = Query(None, description="only persons or only enterprises "
                                                                           "(default both)"),
    limit: int | None = Query(None, description="pairs per page (default CREDIT_GRAPH_DUPLICATES_PAGE_SIZE, at most "
                                                "CREDIT_GRAPH_DUPLICATES_MAX_PAGE_SIZE)", examples=[20]),
    cursor: str | None = Query(None, max_length=MAX_TEXT, description="`next_cursor` of the previous page"),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role("investigator", "admin")),
    purpose: str | None = Depends(purpose_header),
) -> Duplicates:
    code = checked_region(region, "region")
    limit = bounded(limit, min(settings.duplicates_page_size, settings.duplicates_max_page_size), 1,
                    settings.duplicates_max_page_size, "limit")
    offset = cursor_offset(decode_cursor(cursor), settings.max_offset)
    kinds: list[str] = [kind] if kind else list(KINDS)
    if "person" in kinds:
        check_purpose(caller, purpose)
    found = await duplicates(graph, caller, code, kinds, settings.duplicates_max_groups, settings.duplicates_max_pairs)
    page = found.pairs[offset:offset + limit]
    await audit_person_reads(graph, caller, purpose, "GET /v1/analytics/duplicates",
                             [s["id"] for p in page if p["kind"] == "person" for s in p["subjects"]])
    more = len(found.pairs) > offset + limit
    return Duplicates(region=found.region, pairs=page, pair_count=len(found.pairs), truncated=found.truncated,
                      next_cursor=encode_cursor({"offset": offset + limit}) if more else None)
