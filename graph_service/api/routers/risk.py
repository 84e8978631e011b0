"""Surrounding risk: GET /v1/subjects/{id}/risk (issue 4, item 4)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from graph_service.analysis import risk as analysis_risk
from graph_service.api.deps import (
    Caller,
    audit_person_read,
    get_graph,
    get_settings,
    purpose_header,
    require_role,
)
from graph_service.api.errors import responses
from graph_service.api.inputs import MAX_TEXT, IsoDate, bounded, cursor_offset, day, decode_cursor, encode_cursor
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.common import RecordOut
from graph_service.api.models.network import NetworkEdge, NetworkNode, NodeFlags
from graph_service.api.models.risk import LiabilityOut, Risk, RiskParty, RiskPath
from graph_service.api.present import Presenter, json_response
from graph_service.api.privacy import mask_path, mask_persons
from graph_service.api.subject_params import AS_OF, KIND, SUBJECT_ID
from graph_service.domain.vocabulary import KEY_ROLES, SubjectKind
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/subjects", tags=["related parties"], route_class=JsonRoute)


def _reasons(f: dict) -> list[str]:
    out = []
    if f["blacklisted"]:
        out.append("black_record")
    if f["penalised"]:
        out.append("penalty_record")
    if f["restricted"]:
        out.append("liable")
    return out


@router.get(
    "/{id}/risk",
    response_model=Risk,
    summary="Own records, derived liabilities and risky parties around a subject",
    description=(
        "The records concerning the subject (each with `in_force` on `as_of`), the derived liabilities binding it on "
        "`as_of` with their explanation (rule, record, role and dates, path, legal basis, window), and the parties "
        "within `depth` hops (roles, holdings, persons named responsible; at most CREDIT_GRAPH_RISK_MAX_DEPTH) that "
        "have a black or penalty record in force or liabilities restricting them, each with a shortest path from the "
        "subject, nearest first, in pages of `limit`.\n\n"
        "Roles: `public` asks about enterprises only and sees no person parties (persons on paths masked); "
        "region-scoped keys ask about subjects of their region (another subject answers as an unknown id, 404) and "
        "see no party outside it (nodes outside it on a path masked). A person-level read: audited, investigators "
        "state "
        "`X-Purpose`."
    ),
    responses=responses(401, 403, 404, 422, 503, 504),
)
async def get_risk(
    id: str = SUBJECT_ID,
    kind: SubjectKind | None = KIND,
    depth: int | None = Query(None, description="hops, 1 to CREDIT_GRAPH_RISK_MAX_DEPTH (default 2)", examples=[2]),
    as_of: IsoDate | None = AS_OF,
    limit: int | None = Query(None, description="parties per page (default CREDIT_GRAPH_RISK_MAX_PARTIES)",
                              examples=[50]),
    cursor: str | None = Query(None, max_length=MAX_TEXT, description="`next_cursor` of the previous page"),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
    purpose: str | None = Depends(purpose_header),
) -> Response:
    depth = bounded(depth, min(2, settings.risk_max_depth), 1, settings.risk_max_depth, "depth")
    limit = bounded(limit, settings.risk_max_parties, 1, settings.list_max_page_size, "limit")
    offset = cursor_offset(decode_cursor(cursor), settings.max_offset)
    d = day(as_of)

    found = await analysis_risk.risk(graph, caller, id, kind, depth, d, settings.risk_max_nodes)
    subject, own, walk, flags = found.subject, found.own, found.walk, found.flags
    pr = Presenter(caller, d, found.outside)

    def node(key) -> NetworkNode:
        n = walk.nodes[key]
        ref = pr.ref(n.kind, n.id, n.name)
        f = flags.get(key)
        return NetworkNode(key=pr.key(n.kind, n.id), **ref, region_code=n.region_code, depth=n.depth,
                           flags=None if (f is None or ref["masked"]) else NodeFlags(**f))

    parties = []
    for key in sorted((k for k in walk.nodes if k != walk.root), key=lambda k: (walk.nodes[k].depth, k)):
        f = flags.get(key)
        if f is None or not (reasons := _reasons(f)):
            continue
        if pr.masks(*key):
            continue  # persons for the public role, every party outside a region-scoped key's region
        keys, eids = walk.path_to(key)
        parties.append(RiskParty(node=node(key), reasons=reasons, path=RiskPath(
            nodes=[pr.key(*k) for k in keys], edges=[NetworkEdge(**pr.walk_edge(walk.edges[e])) for e in eids])))
    more = len(parties) > offset + limit
    records = [RecordOut.of(r) for r in own["records"]]
    liabilities = [LiabilityOut(**lia) for lia in own["liabilities"]]
    if not caller.sees_persons:
        records = mask_persons(records)
        liabilities = [lia.model_copy(update={"path": mask_path(lia.path)}) for lia in liabilities]
    elif any(r.responsible for r in records) or any("person:" in p for lia in liabilities for p in lia.path):
        pr.persons_seen = True
    answer = Risk(subject=node(walk.root), as_of=d, depth=depth, records=records, liabilities=liabilities,
                  parties=parties[offset:offset + limit], truncated=walk.truncated,
                  next_cursor=encode_cursor({"offset": offset + limit}) if more else None)
    if pr.persons_seen and caller.sees_persons:
        await audit_person_read(graph, caller, purpose, "GET /v1/subjects/{id}/risk", subject.kind, subject.id, d)
    return json_response(answer)
