"""The audit log: GET /v1/audit (admin only; issue 15 item 8)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from graph_service.api.deps import Caller, get_graph, get_settings, require_role
from graph_service.api.errors import responses
from graph_service.api.examples import ok
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.audit import EXAMPLE_ENTRY, AuditPage
from graph_service.api.present import json_response
from graph_service.audit_log import AuditQuery, search
from graph_service.domain.vocabulary import AuditSubjectKind
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

router = APIRouter(prefix="/v1/audit", tags=["audit"], route_class=JsonRoute)


@router.get(
    "",
    response_model=AuditPage,
    summary="The audit log of person-level reads",
    description=(
        "Every answered person-level read (`AuditEntry`: when, which key and role, the purpose stated, the "
        "endpoint, the subject and the day asked about), newest first, in pages of `limit` (default "
        "`CREDIT_GRAPH_AUDIT_PAGE_SIZE`, at most `CREDIT_GRAPH_AUDIT_MAX_PAGE_SIZE`); `next_cursor` gives the next "
        "page. Filters combine: `key_id`, `subject_id`, `subject_kind`, `purpose` (entries whose purpose contains "
        "the text), `since` (inclusive) and `until` (exclusive; a day means up to its end). Times are ISO days "
        "(`2026-11-26`) or date-times (`2026-11-26T09:00:00+08:00`); without an offset, China Standard Time.\n\n"
        "Roles: `admin` only. Reading the log is not itself audited. Also `credit-graph audit` on the command line."
    ),
    responses={**ok({"items": [EXAMPLE_ENTRY], "limit": 100, "next_cursor": None}),
               **responses(401, 403, 422, 503, 504)},
)
async def get_audit(
    key_id: str | None = Query(None, max_length=64, description="entries of this API key id (`credit-graph keys list`)",
                               examples=["6a0f3c9e2b1d4e57"]),
    subject_id: str | None = Query(None, max_length=64, description="entries about this person, enterprise or record",
                                   examples=["432801196804121350"]),
    subject_kind: AuditSubjectKind | None = Query(None),
    purpose: str | None = Query(None, max_length=200, description="entries whose purpose contains this text",
                                examples=["郴建罚"]),
    since: str | None = Query(None, description="from this time on (ISO day or date-time)", examples=["2026-11-01"]),
    until: str | None = Query(None, description="before this time (a day: up to its end)", examples=["2026-11-30"]),
    limit: int | None = Query(None, description="entries per page (default CREDIT_GRAPH_AUDIT_PAGE_SIZE, at most "
                                                "CREDIT_GRAPH_AUDIT_MAX_PAGE_SIZE)", examples=[100]),
    cursor: str | None = Query(None, description="`next_cursor` of the previous page"),
    graph: Graph = Depends(get_graph),
    settings: ServiceSettings = Depends(get_settings),
    caller: Caller = Depends(require_role("admin")),
):
    q = AuditQuery.of(key_id=key_id, subject_id=subject_id, subject_kind=subject_kind, purpose=purpose,
                      since=since, until=until, limit=limit, cursor=cursor,
                      default_limit=settings.audit_page_size, max_limit=settings.audit_max_page_size)
    entries, next_cursor = await search(graph, q)
    return json_response(AuditPage(items=entries, limit=q.limit, next_cursor=next_cursor))
