"""The change feed: GET /v1/changes (issue 18; docs/changes.md)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from graph_service.api.deps import Caller, get_graph, get_settings, require_role
from graph_service.api.errors import responses
from graph_service.api.examples import ok
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.changes import EXAMPLE_CHANGE, EXAMPLE_DECISION, KINDS_HELP, ChangePage
from graph_service.api.present import json_response
from graph_service.changes import feed
from graph_service.runner import Graph
from graph_service.scope_reads import region_codes
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/changes", tags=["changes"], route_class=JsonRoute)


@router.get(
    "",
    response_model=ChangePage,
    summary="The change feed: what changed, in order",
    description=(
        "Every change to what the service says, in the order it committed: registry rows added, changed or ended "
        "(fields before and after), records initiated, corrected, revoked, repaired or expired, objections, "
        "releases, merges, and what they caused: liabilities that started or ended and the decisions per action "
        "that changed. Entries of one write share a change set (`set`). Nothing in the log is ever rewritten.\n\n"
        "Read it as a feed: start with `since=0` (or the sequence number you hold) and go on with each page's "
        "`next_cursor`, which every page gives, caught up or not: a reader that keeps it never misses or repeats "
        "an entry. Filters: `region` (entries in that region or below), `subject` (a USCC or person id), `kinds`. "
        "A page looks at no more than `CREDIT_GRAPH_CHANGES_SCAN_LIMIT` entries for its filters, so a rare filter "
        "may answer fewer than `limit` entries with `caught_up` false: go on with its cursor.\n\n"
        "Roles: `department`, `investigator`, `admin` (entries name persons). A key with a region reads the entries "
        "in its region (or below) only. Also `credit-graph changes` on the command line."
    ),
    responses={**ok({"items": [EXAMPLE_CHANGE, EXAMPLE_DECISION], "limit": 100, "last_seq": 4215,
                     "next_cursor": "eyJhZnRlciI6NDIxNX0", "caught_up": True}),
               **responses(401, 403, 422, 503, 504)},
)
async def get_changes(
    since: int | None = Query(None, description="the entries after this sequence number (0: from the first)",
                              examples=[0]),
    cursor: str | None = Query(None, description="`next_cursor` of the previous page (instead of `since`)"),
    region: str | None = Query(None, pattern=r"^\d{6}$", description="entries in this region or below (GB/T 2260)",
                               examples=["431000"]),
    subject: str | None = Query(None, max_length=64, description="entries about this enterprise (USCC) or person",
                                examples=["91431000MA4L0XXXX1"]),
    kinds: str | None = Query(None, max_length=1000, description=KINDS_HELP, examples=["record,decision"]),
    limit: int | None = Query(None, description="entries per page (default CREDIT_GRAPH_CHANGES_PAGE_SIZE, at most "
                                                "CREDIT_GRAPH_CHANGES_MAX_PAGE_SIZE)", examples=[100]),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role("department", "investigator", "admin")),
):
    if region is not None:
        caller.check_region(await region_codes(graph, region), f"region {region}", "region")
    q = feed.FeedQuery.of(since=since, cursor=cursor, limit=limit, region=region or caller.region_code,
                          subject=subject, kinds=kinds, default_limit=settings.changes_page_size,
                          max_limit=settings.changes_max_page_size)
    return json_response(ChangePage(**await feed.page(graph, q, settings.changes_scan_limit)))
