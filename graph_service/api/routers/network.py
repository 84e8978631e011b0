"""Related parties: GET /v1/subjects/{id}/network (issue 4, item 1)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from graph_service.analysis import network as net
from graph_service.api.deps import (
    Caller,
    audit_person_read,
    check_purpose,
    get_graph,
    get_settings,
    purpose_header,
    require_role,
)
from graph_service.api.errors import ApiError, responses
from graph_service.api.inputs import MAX_TEXT, IsoDate, bounded, choices, day, decode_cursor, encode_cursor
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.network import Network
from graph_service.api.present import Presenter, trusted_json
from graph_service.api.subject_params import AS_OF, HISTORY, KIND, SUBJECT_ID
from graph_service.domain.vocabulary import KEY_ROLES, RELATIONS, SubjectKind
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/subjects", tags=["related parties"], route_class=JsonRoute)




def network_nodes(walk: net.Walk, flags: dict, pr: Presenter) -> list[dict]:
    """The nodes of the answer with the fields of NetworkNode, in its order."""
    out = []
    for key, n in sorted(walk.nodes.items(), key=lambda kv: (kv[1].depth, kv[0])):
        ref = pr.ref(n.kind, n.id, n.name)
        f = flags.get(key)
        out.append({"key": pr.key(n.kind, n.id), **ref, "region_code": n.region_code, "depth": n.depth,
                    "flags": None if (f is None or ref["masked"]) else f, "more": n.more, "truncated": n.truncated})
    return out


@router.get(
    "/{id}/network",
    response_model=Network,
    summary="Related parties within k hops",
    description=(
        "Enterprises and persons linked to the subject within `depth` hops (at most "
        "`CREDIT_GRAPH_NETWORK_MAX_DEPTH`, 4) along the relations asked: `role` (a person holding a role in an "
        "enterprise), `shareholding` (a holder and the enterprise held), `named_responsible` (a person a record about "
        "an enterprise names as directly responsible). Each node carries its liability and risk flags on `as_of`; "
        "each edge its type, dates and whether it holds on `as_of`.\n\n"
        "**Hubs**: the subject's own links come in pages of `limit` per relation, in a stable order; `next_cursor` "
        "gives the next page (ask one relation at a time to walk a hub's thousands of links). Nodes further out are "
        "expanded with at most `CREDIT_GRAPH_NETWORK_FANOUT` links per relation, and the answer stops at "
        "`CREDIT_GRAPH_NETWORK_MAX_NODES` nodes; a node whose links were not all read says how many in `more`, and "
        "why in `truncated`.\n\n"
        "Roles: `public` may ask about enterprises only and sees persons masked, without flags; region-scoped keys "
        "ask about subjects registered in their region (another subject answers as an unknown id, 404) and see every "
        "node outside it masked, without flags. A person-level read (the answer holds persons): audited, "
        "investigators state `X-Purpose`."
    ),
    responses=responses(308, 401, 403, 404, 422, 503, 504),
)
async def get_network(
    id: str = SUBJECT_ID,
    kind: SubjectKind | None = KIND,
    depth: int = Query(1, description="hops from the subject, 1 to CREDIT_GRAPH_NETWORK_MAX_DEPTH (4)", examples=[2]),
    relations: list[str] | None = Query(None, description="`role`, `shareholding`, `named_responsible`, repeated or "
                                                          "comma-separated; default all",
                                        examples=["role,shareholding"]),
    as_of: IsoDate | None = AS_OF,
    history: bool = HISTORY,
    limit: int | None = Query(None, description="links of the subject per relation and page (default "
                                                "CREDIT_GRAPH_NETWORK_PAGE_SIZE)", examples=[100]),
    cursor: str | None = Query(None, max_length=MAX_TEXT, description="`next_cursor` of the previous page"),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
    purpose: str | None = Depends(purpose_header),
) -> Response:
    depth = bounded(depth, 1, 1, settings.network_max_depth, "depth")
    rels = choices(relations, RELATIONS, "relations")
    limit = bounded(limit, settings.network_page_size, 1, settings.list_max_page_size, "limit")
    state = decode_cursor(cursor)
    # A keyset cursor holds the last link's key, which starts with the other end's id: an offset
    # for callers to whom some ids are masked (the public role, region-scoped keys).
    by_offset = not caller.sees_persons or caller.region_code is not None
    after = None
    if state is not None:
        after = state.get("after")
        ok = isinstance(after, dict) and all(
            r in RELATIONS and (
                isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= settings.max_offset if by_offset
                else isinstance(v, str) and len(v) <= MAX_TEXT)
            for r, v in after.items())
        if not ok:
            raise ApiError(422, "invalid_cursor", "cursor: not a cursor returned by a previous page", "cursor")
    d = day(as_of)

    endpoint = "GET /v1/subjects/{id}/network"
    audit: asyncio.Future | None = None

    def audited(subject) -> None:
        # A person-level read: its audit entry is written from the moment the walk finds a person,
        # alongside the rest of the reading and the answer's presentation; the answer still
        # leaves only once the entry is committed. Once per request, retried reads included.
        nonlocal audit
        if audit is None:
            check_purpose(caller, purpose)
            audit = asyncio.ensure_future(audit_person_read(graph, caller, purpose, endpoint, subject.kind,
                                                            subject.id, d))

    try:
        found = await net.network(graph, caller, id, kind, depth, rels, d, history, limit, settings, after, by_offset,
                                  on_person=audited if caller.sees_persons else None)
        subject, walk, flags, outside = found.subject, found.walk, found.flags, found.outside
        if caller.sees_persons and any(n.kind == "person" for n in walk.nodes.values()):
            audited(subject)  # started by the walk already; here only should the walk not have said
        pr = Presenter(caller, d, outside)
        return trusted_json({
            "subject": pr.key(*subject.key), "as_of": d, "depth": depth, "relations": rels, "history": history,
            "nodes": network_nodes(walk, flags, pr), "edges": [pr.walk_edge(e) for _, e in sorted(walk.edges.items())],
            "truncated": walk.truncated,
            "next_cursor": encode_cursor({"after": walk.next_after}) if walk.next_after else None})
    finally:
        if audit is not None:
            await audit
