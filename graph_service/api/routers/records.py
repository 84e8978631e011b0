"""The workflow on records (issue 5): initiate, objections, repair, history.

POST /v1/records, POST /v1/records/{id}/objections, POST /v1/objections/{id}/resolution,
GET /v1/objections/overdue, GET /v1/objections/{id}, POST /v1/records/{id}/repair,
GET /v1/records/{id}/history. The rules live in graph_service.workflow; this module maps HTTP to
them. Writes run the workflow's plans on the API's async driver: they share the loader's writer
(graph_service.facts.writer) and take the record's write lock inside one transaction (docs/workflow.md).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from graph_service.api import examples
from graph_service.api.deps import Caller, get_graph, require_role
from graph_service.api.errors import ApiError, responses
from graph_service.api.inputs import MAX_ID, MAX_ITEMS, Id, IsoDate, Name, RecordDate, Seq, Text, id_list
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.workflow import (
    Objection,
    ObjectionResolved,
    OverdueObjections,
    RecordHistory,
    RecordInitiated,
    RepairDecision,
)
from graph_service.api.workflow_calls import (
    CONFLICT,
    READERS,
    WRITERS,
    actor,
    check_scope,
    read,
    record_scope,
    region_codes,
    scoped_region,
    visible_record,
    write,
)
from graph_service.domain.vocabulary import RecordKind, Severity, SubjectKind
from graph_service.runner import Graph
from graph_service.workflow import objections, records, repair, store
from graph_service.workflow.events import CORRECTABLE, Event, fold
from graph_service.workflow.objections import FILED_BY
from graph_service.workflow.store import NotFound

router = APIRouter(tags=["workflow"], route_class=JsonRoute)

# --- models ----------------------------------------------------------------------------------

class RecordIn(BaseModel):
    """A credit record with the fields of records.csv (input-format.md), validated as the loader does."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "record_id": "HN431000-2026-B0101", "subject_kind": "enterprise", "subject_id": examples.DEMO_USCC,
        "kind": "black", "category": "health_safety", "severity": "serious",
        "authority": "郴州市市场监督管理局", "authority_region": "431000", "document_no": "郴市监罚〔2026〕101号",
        "misconduct_on": "2026-05-10", "decided_on": "2026-06-01", "published_on": "2026-06-03",
        "legal_basis": "《食品安全法》第一百三十四条", "responsible_person_ids": [examples.DEMO_PERSON_ID]}]})

    record_id: Id
    subject_kind: SubjectKind
    subject_id: Id
    kind: RecordKind
    category: Name | None = Field(None, description="one of the four categories for black records (domain.md 8)")
    severity: Severity | None = Field(
        None, description="default serious for black, general for penalty")
    authority: Name = Field(description="the deciding department")
    authority_region: Id = Field(description="6-digit region code of the deciding department")
    document_no: Name | None = None
    misconduct_on: RecordDate | None = Field(None, description="default: decided_on")
    decided_on: RecordDate
    published_on: RecordDate | None = None
    valid_until: RecordDate | None = Field(None, description="default: from the rules for its kind and severity")
    legal_basis: Text | None = None
    responsible_person_ids: list[Id] = id_list("persons the decision names as directly responsible")
    specific_serious: bool = Field(False, description="特定严重 under 发改办财金〔2019〕527号: never repairable")
    reason: Text | None = Field(None, description="why it is initiated (kept in the record's history)")


class RecordChanges(BaseModel):
    """The fields an objection's `corrected` outcome may change (CORRECTABLE), typed as in `RecordIn`;
    any other is refused before the objection is read (422 naming `changes.<field>`)."""

    model_config = ConfigDict(extra="forbid")

    category: Name | None = None
    severity: Severity | None = None
    document_no: Name | None = None
    misconduct_on: RecordDate | None = None
    decided_on: RecordDate | None = None
    published_on: RecordDate | None = None
    valid_until: RecordDate | None = None
    legal_basis: Text | None = None
    responsible_person_ids: list[Id] | None = Field(None, max_length=MAX_ITEMS)


class ObjectionIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "notice_on": "2025-09-30", "filed_by": "subject", "grounds": "主体认定错误：处罚对象为同名企业"}]})

    notice_on: RecordDate = Field(description="the day the deciding department received the verification notice; "
                                           "measures are suspended from that day")
    filed_by: Literal[FILED_BY] = "subject"  # type: ignore[valid-type]
    grounds: Text | None = None
    expected_seq: Seq | None = Field(None, description="optimistic check: the history length the caller saw")


class ResolutionIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "outcome": "corrected", "on": "2025-10-20", "changes": {"severity": "general"},
        "reason": "核实后处罚等级应为一般"}]})

    outcome: Literal["upheld", "corrected", "revoked"]
    on: RecordDate | None = Field(None, description="day of the decision; today when absent")
    changes: RecordChanges | None = Field(None, description=f"for `corrected`: new values of {', '.join(CORRECTABLE)}")
    reason: Text | None = None
    expected_seq: Seq | None = None


class RepairIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "requested_on": "2026-09-01",
        "conditions": {"corrected_and_performed": True, "credit_commitment": True, "other_legal_conditions": True},
        "evidence": "信用承诺书 2026-08-28；罚款缴纳凭证"}]})

    requested_on: RecordDate | None = Field(None, description="today when absent")
    conditions: dict[Id, bool] = Field(description="every condition of periods.yaml `repair_conditions`, "
                                                   "true when met (domain.md 4)", max_length=MAX_ITEMS)
    evidence: Text | None = None
    reason: Text | None = None
    expected_seq: Seq | None = None


def _objection_out(o: Any) -> dict[str, Any]:
    return dict(o) if isinstance(o, dict) else asdict(o)


def _event_out(e: Event) -> dict[str, Any]:
    return {"seq": e.seq, "event_id": e.event_id, "at": e.at, "actor": e.actor, "kind": e.kind, "data": e.data,
            "reason": e.reason}


# --- endpoints -------------------------------------------------------------------------------

@router.post(
    "/v1/records", status_code=201, response_model=RecordInitiated, summary="Initiate a record (发起)",
    description=(
        "A department initiates a black, red or penalty record. It is validated and written exactly as a row of "
        "records.csv, propagated in the same transaction, and turned into one notification per reached region "
        "listing the measures, mandatory first. The subject and the persons named responsible must exist.\n\n"
        "Roles: `department` (for its region and sub-regions: `authority_region`), `admin`."),
    responses={**responses(401, 403, 422, 503), **CONFLICT},
)
async def initiate(request: Request, body: RecordIn, graph: Graph = Depends(get_graph),
                   caller: Caller = Depends(require_role(*WRITERS))) -> dict[str, Any]:
    check_scope(caller, await region_codes(graph, body.authority_region), f"authority region {body.authority_region}",
                "authority_region")
    cells = body.model_dump(exclude={"specific_serious", "reason"})
    return await write(request, lambda: records.initiate(
        cells, actor=actor(caller), specific_serious=body.specific_serious, reason=body.reason), "decided_on")


@router.post(
    "/v1/records/{record_id}/objections", status_code=201, response_model=Objection, summary="File an objection (异议)",
    description=(
        "By or for the subject, with the notice date. From that day every measure derived from the record is "
        "suspended (checks answer `clear` with a note; lists omit it) until the objection is resolved. The "
        "verification is due 20 working days after the notice on the official calendar (first day not "
        "counted); a notice whose deadline falls in a year the calendar does not know yet is refused "
        "(422 `calendar_unknown`). One open objection per record.\n\n"
        "Roles: `department` of the deciding authority's or the subject's region, `admin`."),
    responses={**responses(401, 403, 404, 422, 503), **CONFLICT},
)
async def file_objection(request: Request, body: ObjectionIn,
                         record_id: str = Path(max_length=MAX_ID, examples=["HN431000-2026-B0001"]), graph: Graph = Depends(get_graph),
                         caller: Caller = Depends(require_role(*WRITERS))) -> dict[str, Any]:
    scope = await visible_record(graph, caller, record_id)
    check_scope(caller, scope["authority_codes"] + scope["subject_codes"], f"record {record_id}", "record_id")
    o = await write(request, lambda: objections.file_objection(
        record_id, notice_on=body.notice_on, filed_by=body.filed_by, grounds=body.grounds, actor=actor(caller),
        expected_seq=body.expected_seq), "notice_on")
    return {**_objection_out(o), "record_id": record_id}


@router.get(
    "/v1/objections/overdue", response_model=OverdueObjections, summary="Verifications past their due day",
    description=("Objections open on `as_of` (today when absent) whose 20 working days ran out before it, for the "
                 "deciding departments of `region` and its sub-regions (the key's region when absent)."),
    responses=responses(401, 403, 422, 503, 504),
)
async def overdue_objections(
    region: str | None = Query(None, pattern=r"^\d{6}$", examples=["431000"]),
    as_of: IsoDate | None = Query(None), graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role(*READERS)),
) -> dict[str, Any]:
    region = await scoped_region(graph, caller, region)
    day = as_of or store.today()
    rows = await read(graph, lambda: objections.overdue(day, region))
    return {"as_of": day, "region": region, "total": len(rows),
            "items": [{**r["objection"], "authority_id": r["authority_id"]} for r in rows]}


@router.get(
    "/v1/objections/{objection_id}", response_model=Objection, summary="An objection",
    description=("Its record, notice day, verification due day (20 working days later), who filed it and why, "
                 "and its status: open, upheld, corrected or revoked, with the day and the department that "
                 "resolved it."),
    responses=responses(401, 403, 404, 503, 504),
)
async def get_objection(objection_id: str = Path(max_length=MAX_ID), graph: Graph = Depends(get_graph),
                        caller: Caller = Depends(require_role(*READERS))) -> dict[str, Any]:
    o = await read(graph, lambda: objections.get_objection(objection_id))
    scope = await record_scope(graph, o["record_id"])
    # Outside the key's region: the answer of an unknown objection (translated NotFound).
    caller.check_visible(scope["authority_codes"] + scope["subject_codes"],
                         ApiError(404, "not_found", str(NotFound("objection", objection_id))))
    return o


@router.post(
    "/v1/objections/{objection_id}/resolution", response_model=ObjectionResolved, summary="Resolve an objection",
    description=(
        "The deciding department's verification: `upheld` (the measures resume), `corrected` (the fields in "
        "`changes` are corrected as a records.csv row would be, and propagation is recomputed) or `revoked` (the "
        "record and everything derived from it end on `on`; a restoration notice goes to every department that "
        "reported applying a measure).\n\nRoles: `department` of the deciding authority's region, `admin`."),
    responses={**responses(401, 403, 404, 422, 503), **CONFLICT},
)
async def resolve_objection(request: Request, body: ResolutionIn, objection_id: str = Path(max_length=MAX_ID),
                            graph: Graph = Depends(get_graph),
                            caller: Caller = Depends(require_role(*WRITERS))) -> dict[str, Any]:
    o = await read(graph, lambda: objections.get_objection(objection_id))
    scope = await record_scope(graph, o["record_id"])
    caller.check_visible(scope["authority_codes"] + scope["subject_codes"],
                         ApiError(404, "not_found", str(NotFound("objection", objection_id))))
    check_scope(caller, scope["authority_codes"], f"the record of objection {objection_id}")
    resolved, state = await write(request, lambda: objections.resolve_objection(
        objection_id, outcome=body.outcome, on=body.on, reason=body.reason,
        changes=None if body.changes is None else body.changes.model_dump(exclude_unset=True),
        actor=actor(caller), expected_seq=body.expected_seq), "on")
    return {**_objection_out(resolved), "record_id": o["record_id"], "record_status": state.status,
            "record_ended_on": state.ended_on, "corrections": state.corrections}


@router.post(
    "/v1/records/{record_id}/repair", response_model=RepairDecision, summary="Request credit repair (信用修复)",
    description=(
        "Assessed under the rule version in force on the decision date (527号 before 2023-05-01, NDRC Order 58 "
        "until 2026-03-31, Order 36 from 2026-04-01): accepted only on or after the minimum publicity or "
        "punishment period and with every condition met (corrected and obligations fully performed, public "
        "credit commitment, other legal conditions). Accepted: the record ends on `requested_on`, leaves the "
        "lists and its derived measures end; nothing is deleted. Refused: the reasons and the first date it "
        "could be accepted. Both outcomes are kept in the history and answered with 200.\n\n"
        "Roles: `department` of the deciding authority's region, `admin`."),
    responses={**responses(401, 403, 404, 422, 503), **CONFLICT},
)
async def request_repair(request: Request, body: RepairIn, record_id: str = Path(max_length=MAX_ID, examples=["HN431000-2026-B0001"]),
                         graph: Graph = Depends(get_graph),
                         caller: Caller = Depends(require_role(*WRITERS))) -> dict[str, Any]:
    scope = await visible_record(graph, caller, record_id)
    check_scope(caller, scope["authority_codes"], f"record {record_id}", "record_id")
    decision = await write(request, lambda: repair.request_repair(
        record_id, requested_on=body.requested_on or store.today(), conditions=body.conditions,
        evidence=body.evidence, reason=body.reason, actor=actor(caller), expected_seq=body.expected_seq))
    return {"record_id": record_id, **decision.as_dict(),
            "refusal_reasons": {r: repair.REFUSAL_REASONS[r] for r in decision.reasons}}


@router.get(
    "/v1/records/{record_id}/history", response_model=RecordHistory, summary="A record's history",
    description=("Every state change, append-only (who, when, what, why), oldest first, and the state derived from "
                 "them: status, end, suspension, objections, notifications answered, corrections."),
    responses=responses(401, 403, 404, 503, 504),
)
async def history(record_id: str = Path(max_length=MAX_ID, examples=["HN431000-2026-B0001"]), graph: Graph = Depends(get_graph),
                  caller: Caller = Depends(require_role(*READERS))) -> dict[str, Any]:
    await visible_record(graph, caller, record_id)
    _, events = await read(graph, lambda: store.history(record_id))
    state = fold(record_id, events)
    return {
        "record_id": record_id, "status": state.status, "ended_on": state.ended_on,
        "suspended_on": state.suspended_on, "event_seq": state.seq,
        "objections": [asdict(o) for o in state.objections.values()],
        "notifications": [{**asdict(n), "status": n.status} for n in state.notifications.values()],
        "corrections": state.corrections, "repair": state.repair,
        "events": [_event_out(e) for e in events],
    }


__all__ = ["router"]
