"""Cross-region view: GET /v1/regions/{code}/links (issue 4, item 6; policy item 17)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query

from graph_service.analysis.regions import links as region_links
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
from graph_service.api.inputs import MAX_TEXT, IsoDate, bounded, checked_region, day, decode_cursor, encode_cursor
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.regions import LinkedRecord, RegionCount, RegionLinks
from graph_service.api.present import Presenter
from graph_service.domain.vocabulary import KEY_ROLES
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/regions", tags=["regions"], route_class=JsonRoute)

@router.get(
    "/{code}/links",
    response_model=RegionLinks,
    summary="Records crossing the region's border, both ways",
    description=(
        "**Incoming**: records decided by authorities outside the region that reach subjects registered in it or in "
        "its sub-regions (the record's subject, an enterprise its liabilities bind, an enterprise where a liable "
        "person holds a role, a subsidiary). **Outgoing**: records decided in the region that reach subjects "
        "registered elsewhere. Records in force on `as_of`; reach as materialised by propagation (`REACHES_REGION`, "
        "roll-ups left out). Counts per region reached (with its county), over all records; the lists come in pages "
        "of `limit` each, by record id.\n\n"
        "Demo: 郴州市 (431000) receives the Shenzhen record HN440300-2026-B0007 through 资兴市 (its liable legal "
        "representative is a director of a Zixing subsidiary) and sends HN431000-2026-B0001 to 长沙市岳麓区 "
        "(430104).\n\n"
        "Roles: every role; region-scoped keys their region and its sub-regions; `public` sees person subjects masked."
    ),
    responses=responses(401, 403, 404, 422, 503, 504),
)
async def get_links(
    code: str = Path(description="GB/T 2260 region code",
                     openapi_examples={"郴州市 (demo)": {"value": DEMO["CITY"]},
                                       "北湖区 (demo)": {"value": DEMO["COUNTY"]},
                                       "长沙市 (demo)": {"value": "430100"}}),
    as_of: IsoDate | None = Query(None, description="records in force on this day (default today)",
                                  examples=["2026-11-26"]),
    limit: int | None = Query(None, description="records per list and page (default "
                                                "CREDIT_GRAPH_REGION_LINKS_PAGE_SIZE)", examples=[100]),
    cursor: str | None = Query(None, max_length=MAX_TEXT, description="`next_cursor` of the previous page"),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
    purpose: str | None = Depends(purpose_header),
) -> RegionLinks:
    value = checked_region(code)
    limit = bounded(limit, settings.region_links_page_size, 1, settings.list_max_page_size, "limit")
    d = day(as_of)
    found = await region_links(graph, caller, value, d, decode_cursor(cursor), limit)
    region, counts, nxt = found.region, found.counts, found.next_after
    pr = Presenter(caller, d)
    lists: dict[str, list[LinkedRecord]] = {}
    for direction, rows in found.pages.items():
        lists[direction] = [LinkedRecord(**r["record"], subject=pr.ref(r["subject"]["kind"], r["subject"]["id"],
                                                                       r["subject"]["name"]),
                                         regions=r["regions"]) for r in rows]
    out_counts: dict[str, list[RegionCount]] = {"incoming": [], "outgoing": []}
    for c in counts:
        out_counts[c["direction"]].append(RegionCount(
            code=c["code"], name=c["name"], level=c["level"], records=c["records"], black=c["black"],
            county=c["county"]))
    answer = RegionLinks(region=value, name=region["name"], level=region["level"], as_of=d,
                         incoming=lists["incoming"], outgoing=lists["outgoing"],
                         incoming_counts=out_counts["incoming"], outgoing_counts=out_counts["outgoing"],
                         next_cursor=encode_cursor(nxt) if nxt else None)
    if pr.persons_seen and caller.sees_persons:
        await audit_person_read(graph, caller, purpose, "GET /v1/regions/{code}/links", "region", value, d)
    return answer
