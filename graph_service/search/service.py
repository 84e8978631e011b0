"""GET /v1/search: subjects by name, former name, pinyin or identifier (docs/search.md).

One read transaction: the region asked is checked, the identifier statement and the full-text
index give candidates, and graph_service.search.ranking ranks them in Python. The caller's key
decides what comes: the public role never searches persons by id; a region-scoped key gets the
hits in its region first, and loses the hits outside it that matched by identifier (an id outside
a key's scope answers as an unknown one: docs/api.md, "Scope rules"). Masking is the router's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph_service.access.caller import Caller
from graph_service.errors import Refused
from graph_service.runner import Graph, rows_async, single_async
from graph_service.search.ranking import Hit, Query, parse, rank
from graph_service.settings import ServiceSettings

# With a kind or region to keep, or a key's region to put first, the index is read this many times
# deeper, so that the kept candidates are not only those of the best-scored few.
_FILTERED_READ = 4


@dataclass(frozen=True)
class SearchResult:
    query: Query
    hits: list[Hit]  # the page asked
    total: int  # hits ranked, at most CREDIT_GRAPH_SEARCH_MAX_CANDIDATES from the index (+ identifiers)
    capped: bool  # the index may hold more candidates than were ranked


def _refuse_person_id(caller: Caller, query: Query, kind: str | None) -> None:
    if not caller.sees_persons and kind != "enterprise" and query.resident_id and not query.uscc:
        # Said of the role whatever the id: no lookup, so nothing is learned about it.
        raise Refused(403, "forbidden", f"role {caller.role} may not search persons by id: give a name, or "
                                        "kind=enterprise", "q")


async def _check_region(tx: Any, caller: Caller, region: str) -> None:
    found = await rows_async(tx, "regions/links_region", code=region)
    if not found:
        raise Refused(422, "invalid_region", f"region: unknown region code {region}", "region")
    caller.check_region([region, *found[0]["ancestors"]], f"region {region}", "region")


async def find(graph: Graph, caller: Caller, q: str, kind: str | None, region: str | None, offset: int, limit: int,
               settings: ServiceSettings) -> SearchResult:
    """The page [offset, offset + limit) of the ranked hits of `q`; 422 naming `q` for a text
    that cannot be searched (ranking.parse), 403 for a public search by person id."""
    query = parse(q, settings.search_max_query_length)
    _refuse_person_id(caller, query, kind)
    cap = settings.search_max_candidates
    scope = caller.region_code
    common: dict[str, Any] = {"kind": kind, "region": region, "scope": scope}

    async def work(tx: Any) -> tuple[list[dict[str, Any]], bool]:
        if region is not None:
            await _check_region(tx, caller, region)
        rows: list[dict[str, Any]] = []
        if query.id:
            uscc_prefix = query.id if kind != "person" and 6 <= len(query.id) <= 18 else None
            person_id = query.id if kind != "enterprise" and caller.sees_persons else None
            if uscc_prefix or person_id:
                rows += await rows_async(tx, "search/ids", uscc_prefix=uscc_prefix, person_id=person_id,
                                         limit=cap, convert=False, **common)
        text = query.lucene()
        capped = False
        if text is not None:
            deeper = kind is not None or region is not None or scope is not None
            # Unconverted: ranking reads no date but `former_names_until`'s isoformat(), which the
            # driver's dates have too, and converting 500 candidates cost more than ranking them.
            found = await single_async(tx, "search/names", text=text, read=cap * (_FILTERED_READ if deeper else 1),
                                       limit=cap, convert=False, **common)
            if found is not None:
                capped = found["more"] or len(found["rows"]) >= cap
                rows += found["rows"]
        return rows, capped

    rows, capped = await graph.read_tx(work)
    hits = rank(query, rows, settings.search_min_similarity, scope_first=scope is not None)
    if scope is not None:
        # An identifier outside the key's scope answers as one that names nothing.
        hits = [h for h in hits if h.in_scope or h.match not in ("id", "id_prefix")]
    return SearchResult(query, hits[offset:offset + limit], len(hits), capped)
