"""Search: GET /v1/search (issue 17 point 1; docs/search.md)."""

from __future__ import annotations

import hashlib
import json

from fastapi import APIRouter, Depends, Query

from graph_service import search
from graph_service.api.deps import (
    Caller,
    audit_person_reads,
    get_graph,
    get_settings,
    purpose_header,
    require_role,
)
from graph_service.api.errors import ApiError, responses
from graph_service.api.examples import ok
from graph_service.api.inputs import MAX_TEXT, bounded, checked_region, cursor_offset, decode_cursor, encode_cursor
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.search import EXAMPLE, SearchHit, SearchPage
from graph_service.api.present import json_response
from graph_service.api.privacy import mask_name, mask_person_id
from graph_service.domain.vocabulary import KEY_ROLES, SubjectKind
from graph_service.runner import Graph
from graph_service.search.ranking import Hit
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/search", tags=["search"], route_class=JsonRoute)

# What a masked hit says of its match: nothing stored (the name, an id, a former name) is named.
_MASKED_WHY = {
    "id": "the id equals the query", "id_prefix": "the USCC starts with the query",
    "exact": "the name equals the query", "core": "the name without organisation form and region equals the query's",
    "pinyin": "the name reads as the query in pinyin", "prefix": "the name starts with the query",
    "contains": "the name contains the query", "fuzzy": "the name is similar to the query",
}


def _fingerprint(q: str, kind: str | None, region: str | None) -> str:
    """Ties a cursor to its search: a cursor of another search is refused rather than misread."""
    return hashlib.sha256(json.dumps([q.strip(), kind, region], ensure_ascii=False).encode()).hexdigest()[:16]


def _hit(h: Hit, caller: Caller) -> SearchHit:
    in_region = h.in_scope if caller.region_code is not None else None
    if (h.kind == "person" and not caller.sees_persons) or not h.in_scope:
        return SearchHit(kind=h.kind, id=mask_person_id(h.id) or "", name=mask_name(h.name), masked=True,
                         match=h.match, matched_field=h.matched_field, score=h.similarity,
                         in_region=in_region, why=_MASKED_WHY[h.match])
    return SearchHit(kind=h.kind, id=h.id, name=h.name, region_code=h.region_code, status=h.status,
                     former_names=h.former_names, match=h.match, matched_field=h.matched_field,
                     matched_value=h.matched_value, score=h.similarity, in_region=in_region, why=h.why)


@router.get(
    "",
    response_model=SearchPage,
    summary="Find enterprises and persons by name, former name, pinyin or id",
    description=(
        "Enterprises by current or former name or USCC (whole, or its first 6 characters or more); persons by "
        "name, pinyin (`wang jianguo` finds 王建国) or id. Names match whatever their width (ＡＢＣ, （）), spaces "
        "and middle dots, traditional or simplified characters (王建國 finds 王建国), with or without the "
        "organisation form (有限公司, 集团, 分公司 …) and leading region names (湖南省, 郴州市, 北湖区), and by "
        "part (恒基 finds every company with it).\n\n"
        "Ranked, best first: the id itself, the whole name, the name without organisation form and region (or a "
        "person's pinyin), a prefix, a part, then names only similar (rapidfuzz ratio at least "
        "`CREDIT_GRAPH_SEARCH_MIN_SIMILARITY`); each hit says the field that matched and why. At most "
        "`CREDIT_GRAPH_SEARCH_MAX_CANDIDATES` candidates of the full-text index are ranked (`capped` says when it "
        "held more); pages of `limit` (default `CREDIT_GRAPH_SEARCH_PAGE_SIZE`, at most "
        "`CREDIT_GRAPH_SEARCH_MAX_PAGE_SIZE`) follow `next_cursor`.\n\n"
        "Roles: `public` gets enterprises and persons masked (`王*国`), and may not search by person id (403 "
        "`forbidden`); a `department` key gets the hits in its region first, then the others masked (an id outside "
        "its region finds nothing, as elsewhere); `investigator` and `admin` everything. Persons shown unmasked are "
        "a person-level read: each is written to the audit log, and investigators must state `X-Purpose` (422 "
        "`purpose_required`).\n\n"
        "Bad input is a 422 naming the field: an empty `q`, one over `CREDIT_GRAPH_SEARCH_MAX_QUERY_LENGTH` (200) "
        "characters or of punctuation only, an unknown `kind`, a malformed or unknown `region`, a `limit` out of "
        "range, a `cursor` no previous page of this search gave.\n\n"
        "Example on the demo bundle: `GET /v1/search?q=郴州恒基建材` finds 郴州市恒基建材有限公司 by its core name "
        "恒基建材, then two companies sharing 恒基."
    ),
    responses={**ok(EXAMPLE), **responses(401, 403, 422, 503, 504)},
)
async def get_search(
    q: str = Query(description="a name or part of one, a USCC (whole or its first 6 characters or more), a person "
                               "id, or a person's name in pinyin",
                   openapi_examples={"core name": {"summary": "a name with its region, without its form",
                                                   "value": "郴州恒基建材"},
                                     "part": {"summary": "part of a name", "value": "恒基"},
                                     "pinyin": {"summary": "a person in pinyin", "value": "liu jianguo"},
                                     "traditional": {"summary": "traditional characters", "value": "劉建國"},
                                     "uscc prefix": {"summary": "the start of a USCC", "value": "91431002"}}),
    kind: SubjectKind | None = Query(None, description="only enterprises or only persons"),
    region: str | None = Query(None, description="only subjects registered in this region (6-digit GB/T 2260 code) "
                                                 "or its sub-regions; a region-scoped key may only name its own",
                               examples=["431000"]),
    limit: int | None = Query(None, description="hits per page (default CREDIT_GRAPH_SEARCH_PAGE_SIZE, at most "
                                                "CREDIT_GRAPH_SEARCH_MAX_PAGE_SIZE)", examples=[20]),
    cursor: str | None = Query(None, max_length=MAX_TEXT, description="`next_cursor` of the previous page"),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
    purpose: str | None = Depends(purpose_header),
):
    size = bounded(limit, settings.search_page_size, 1, settings.search_max_page_size, "limit")
    code = checked_region(region, "region") if region is not None else None
    fingerprint = _fingerprint(q, kind, code)
    state = decode_cursor(cursor)
    offset = cursor_offset(state, settings.max_offset)
    if state is not None and state.get("search") != fingerprint:
        raise ApiError(422, "invalid_cursor", "cursor: not a cursor returned by a previous page of this search",
                       "cursor")
    found = await search.find(graph, caller, q, kind, code, offset, size, settings)
    items = [_hit(h, caller) for h in found.hits]
    if caller.sees_persons:
        shown = [h.id for h in found.hits if h.kind == "person" and h.in_scope]
        await audit_person_reads(graph, caller, purpose, "GET /v1/search", shown)
    nxt = offset + size
    query = found.query
    return json_response(SearchPage(
        q=query.text, kind=kind, region=code, folded=query.folded, core=query.core, pinyin=query.pinyin,
        total=found.total, capped=found.capped, limit=size, items=items,
        next_cursor=encode_cursor({"offset": nxt, "search": fingerprint}) if nxt < found.total else None))
