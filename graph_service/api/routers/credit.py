"""Reading the propagated liabilities (issue 3, item 6): a subject's credit, a record's reach,
releases of former holders, and the catalogue of rules, measures and actions.

The answers come from `graph_service.credit`; this module adds access control (roles, region
scope, the audit of person-level reads), masking for the public role, and an explanation sentence
beside every derived liability.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Body, Depends, Path, Query
from fastapi.responses import Response

from graph_service import credit, credit_reads
from graph_service.api.deps import (
    Caller,
    audit_person_read,
    check_purpose,
    get_graph,
    purpose_header,
    require_role,
)
from graph_service.api.errors import ApiError, ErrorBody, not_found, responses
from graph_service.api.examples import credit as ex
from graph_service.api.inputs import HELD_ON, IsoDate, checked_person_id, checked_record_id, checked_uscc
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.credit import (
    Actions,
    Credit,
    Measures,
    RecordReach,
    ReleaseIn,
    ReleaseResult,
    Rules,
)
from graph_service.api.present import json_response
from graph_service.api.privacy import mask_subjects, person_ids, present, subject_refs
from graph_service.domain.vocabulary import KEY_ROLES
from graph_service.runner import Graph

router = APIRouter(tags=["credit"], route_class=JsonRoute)

PERSON_READERS = ("department", "investigator", "admin")
RELEASERS = ("department", "admin")

AS_OF = Query(None, description="the day asked about (default today): liabilities binding that day, records "
                                "in force that day; an earlier day still shows a record that has since ended. "
                                + HELD_ON,
              examples=["2026-11-26"])

REFUSED = {409: {"model": ErrorBody, "description": "The rules do not allow this release (the date lies outside the "
                                                    "record's window or before the person's role ended, the person is "
                                                    "named responsible, is the actual controller or a current holder, "
                                                    "or is not bound)",
                 "content": {"application/json": {"example": {"error": {
                     "code": "release_refused",
                     "message": "person '432801196201202397' is the actual controller of the record's subject "
                                "(2010-08-18..) on days the release from 2026-06-01 would cover",
                     "field": "person_id"}}}}}}


def _ok(example: dict) -> dict:
    return {200: {"content": {"application/json": {"example": example}}}}


# --- a subject's credit ------------------------------------------------------------------------

CREDIT_DESCRIPTION = (
    "The subject's records decided by `as_of` (each with `in_force`), every liability binding it that day with "
    "its explanation (record, rule, role and its dates, path, legal basis, window, and a sentence saying so), "
    "the measures in force (mandatory first) with the actions they restrict or favour, the incentives it lost "
    "(with the black record that made it lose them), and associated risk (information only, never a measure). "
    "Liabilities of a record under objection that day are listed `suspended` and count for nothing.\n\n")


@router.get(
    "/v1/enterprises/{uscc}/credit",
    response_model=Credit,
    summary="An enterprise's credit: records, liabilities with their reasons, measures in force",
    description=CREDIT_DESCRIPTION + (
        "Demo: 郴州市恒基建材有限公司 (`91431002MA4L2HJ36R`) is bound by its black record HN431000-2026-B0001 "
        "(rule `black_enterprise_self`); 湖南恒基环保科技有限公司 (`91430104MA4R5C0F16`) lost the green channel "
        "of its red record on 2026-01-20, when its legal representative became liable for B0001 (`as_of="
        "2025-12-01`: still favoured).\n\n"
        "Roles: every role; `public` sees person ids and names masked; `department` enterprises of its region and "
        "sub-regions. An answer naming persons is a person-level read for the other roles: audited, investigators "
        "state `X-Purpose`."),
    responses={**_ok(ex.ENTERPRISE_CREDIT), **responses(401, 403, 404, 422, 503, 504)},
)
async def enterprise_credit(
    uscc: str = Path(description="Unified Social Credit Code (18 characters, check character verified)",
                     openapi_examples={"blacklisted (demo E01)": {"value": ex.E01},
                                       "lost its green channel (demo E06)": {"value": ex.E06}}),
    as_of: IsoDate | None = AS_OF,
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
    purpose: str | None = Depends(purpose_header),
) -> Response:
    value = checked_uscc(uscc)
    d = as_of or dt.date.today()
    answer, regions = await credit_reads.subject_credit(graph, "enterprise", value, d)
    caller.check_visible(regions, not_found("enterprise", "uscc", value))
    if caller.sees_persons and person_ids(answer):
        await audit_person_read(graph, caller, purpose, "GET /v1/enterprises/{uscc}/credit", "enterprise", value, d)
    return json_response(present(Credit, answer, caller), by_alias=True)


@router.get(
    "/v1/persons/{person_id}/credit",
    response_model=Credit,
    summary="A person's credit: own records, liabilities from enterprises' records, measures in force",
    description=CREDIT_DESCRIPTION + (
        "Demo: 刘建国 (`432801196804121350`), legal representative of E01 on the misconduct date of B0001, is "
        "liable (personal record, market ban, honours); 陈志强 (`432822197909232117`), appointed after it, is not; "
        "王海涛 (`432821198606181955`), current legal representative of the court-listed E03, may not take a "
        "flight.\n\n"
        "A person-level read: not open to `public` (403); `department` persons registered in its region or "
        "sub-regions; every answer is audited, investigators state `X-Purpose` (422 `purpose_required`)."),
    responses={**_ok(ex.PERSON_CREDIT), **responses(401, 403, 404, 422, 503, 504)},
)
async def person_credit(
    person_id: str = Path(description="identity document number; for a resident ID the 18-character citizen ID "
                                      "with its check character",
                          openapi_examples={"liable legal representative (demo P01)": {"value": ex.P01},
                                            "court debtor's legal representative (demo P08)": {"value": ex.P08}}),
    id_type: Literal["resident_id", "passport", "other"] = Query(
        "resident_id", description="how `person_id` is checked: a resident ID's checksum and birth date, or only "
                                   "its form for passports and other documents"),
    as_of: IsoDate | None = AS_OF,
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role(*PERSON_READERS)),
    purpose: str | None = Depends(purpose_header),
) -> Response:
    value = checked_person_id(person_id, id_type)
    check_purpose(caller, purpose)
    d = as_of or dt.date.today()
    answer, regions = await credit_reads.subject_credit(graph, "person", value, d)
    caller.check_visible(regions, not_found("person", "person_id", value))
    await audit_person_read(graph, caller, purpose, "GET /v1/persons/{person_id}/credit", "person", value, d)
    return json_response(present(Credit, answer, caller), by_alias=True)


# --- a record and what it reaches --------------------------------------------------------------

@router.get(
    "/v1/records/{record_id}",
    response_model=RecordReach,
    summary="A record, everyone it reaches and the regions notified",
    description=(
        "The record as stored (with `in_force` on `as_of`), every person and enterprise it binds with each "
        "liability's explanation (rule, role and its dates, path, legal basis, window; `in_force` on `as_of`, so "
        "an earlier day still shows what a record that has since ended or expired reached), the regions it reaches "
        "with the reasons (subject, bound enterprise, liable person's roles, subsidiary, roll-up county → city → "
        "province), one notification per region, the persons released individually, and its associated risk.\n\n"
        "Demo: HN431000-2026-B0001 reaches E01, its legal representative on the misconduct date 刘建国, the "
        "persons it names (黄卫东, 曾志刚) and the senior executive 谭文斌 (honours only), and the regions 431002, "
        "431022, 430104, 431000 rolled up to 430100 and 430000.\n\n"
        "Roles: every role; `public` sees person ids and names masked; `department` records of its region (the "
        "deciding authority's, the subject's or a reached one). An answer naming persons is audited for the other "
        "roles; investigators state `X-Purpose`."),
    responses={**_ok(ex.RECORD_REACH), **responses(401, 403, 404, 422, 503, 504)},
)
async def get_record(
    record_id: str = Path(description="the record's id (records.csv `record_id`)",
                          openapi_examples={"black record of E01 (demo)": {"value": ex.B0001},
                                            "court-listed debtor E03 (demo)": {"value": ex.B0002},
                                            "expired record (demo)": {"value": ex.B0009}}),
    as_of: IsoDate | None = AS_OF,
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role(*KEY_ROLES)),
    purpose: str | None = Depends(purpose_header),
) -> Response:
    value = checked_record_id(record_id)
    d = as_of or dt.date.today()
    answer, ctx = await credit_reads.record_reach(graph, value, d)
    caller.check_visible(ctx["authority_codes"] + ctx["subject_codes"] + ctx["reached_codes"],
                         not_found("record", "record_id", value))
    if caller.region_code is not None:
        # Everyone the record reaches is scoped (issue 15 item 7): subjects outside the key's region
        # come masked. The record itself (its subject, the persons it names) is what the key reads.
        own = subject_refs(answer["record"])
        rest = {k: v for k, v in answer.items() if k != "record"}
        refs = subject_refs(rest)
        outside = await credit_reads.outside_of(graph, caller, [k for k in refs if k not in own])
        answer = {**mask_subjects(rest, {k: refs[k] for k in outside}), "record": answer["record"]}
    if caller.sees_persons and person_ids(answer):
        await audit_person_read(graph, caller, purpose, "GET /v1/records/{record_id}", "record", value, d)
    return json_response(present(RecordReach, answer, caller), by_alias=True)


@router.post(
    "/v1/records/{record_id}/releases",
    status_code=201,
    response_model=ReleaseResult,
    summary="Release a former holder individually (court debtors)",
    description=(
        "Releases a person from the record's releasable liabilities from `on`, with the reason kept on the release "
        "(`RELEASED_FROM {on, reason, by, at}`), and recomputes the record in the same transaction (its reach and "
        "notifications included). For a court-listed enterprise (rule `court_enterprise_current_holders`) the court "
        "lifts the restriction of a legal representative changed for genuine business reasons (SPC 善意文明执行 "
        "opinion, art. 17(2)). A holder in office on the record's decision date stays bound after his role ends "
        "until he is released. Refused (409 `release_refused`, saying why; `field` names `on` or `person_id`) when "
        "`on` lies outside the record's window, for a person the record names responsible, for a person not bound "
        "by a releasable liability, and for a person holding the legal representative, principal or actual "
        "controller role in the subject on any day from `on` to the window's end: the actual controller, a current "
        "holder (never released), or a former holder before his role ended (the earliest `on` is his `end_on`). "
        "A new release of the same person replaces the date and reason.\n\n"
        "Demo: 李春生 (`432821196510021173`), E03's legal representative until 2026-06-01, released from "
        "HN431003-2026-B0002 on 2026-06-01; 曾国华, the actual controller, cannot be.\n\n"
        "Roles: `department` of the deciding authority's or the subject's region, `admin`."),
    responses={201: {"content": {"application/json": {"example": ex.RELEASE}}},
               **responses(401, 403, 404, 422, 503, 504), **REFUSED},
)
async def post_release(
    record_id: str = Path(description="the record's id",
                          openapi_examples={"court-listed debtor E03 (demo)": {"value": ex.B0002}}),
    body: ReleaseIn = Body(openapi_examples={
        "former legal representative (demo)": {"value": {
            "person_id": ex.P09, "on": "2026-06-01",
            "reason": "法定代表人因正常经营原因变更，经法院审查解除限制消费措施"}},
        "actual controller: refused (demo)": {"summary": "409 release_refused", "value": {
            "person_id": ex.P10, "on": "2026-06-01", "reason": "申请解除"}}}),
    graph: Graph = Depends(get_graph),
    caller: Caller = Depends(require_role(*RELEASERS)),
) -> Response:
    value = checked_record_id(record_id)
    person_id = checked_person_id(body.person_id, body.id_type)
    reason = body.reason.strip()
    if not reason:
        raise ApiError(422, "invalid_request", "reason: a release needs a reason", "reason")
    ctx = await credit_reads.release_context(graph, value, person_id)
    # A key that may not read the record hears what an unknown record gets (issue 15 item 5); one
    # that reads it but may not act on it gets 403; only then is the person looked up.
    caller.check_visible(ctx["authority_codes"] + ctx["subject_codes"] + ctx["reached_codes"],
                         not_found("record", "record_id", value))
    caller.check_region(ctx["authority_codes"] + ctx["subject_codes"], f"record {value}", "record_id")
    if not ctx["person_exists"]:
        raise not_found("person", "person_id", person_id)
    answer = await credit_reads.release(graph, value, person_id, body.on, reason, caller.key_id or "anonymous")
    return Response(ReleaseResult.model_validate(answer).model_dump_json(), status_code=201,
                    media_type="application/json")


# --- the catalogue -----------------------------------------------------------------------------

@router.get(
    "/v1/rules",
    response_model=Rules,
    summary="The liability rules",
    description=(
        "Every rule of rules.yaml (domain.md 1.6 and 1.7): which records trigger it (kinds, subject kinds, "
        "categories, severities), whom it reaches (the subject, the persons named responsible, holders of roles, "
        "enterprises where a listed person serves), on which day the role must have been held (`misconduct_date`, "
        "`decision_date`, `as_of`), whether a holder can be released, the measures it attaches, when red-record "
        "incentives are lost, and its legal basis. E.g. `black_enterprise_lr_principal`: the legal representative "
        "and principal in office on the misconduct date.\n\nRoles: every role."),
    responses={**_ok(ex.RULES), **responses(401, 503)},
)
async def get_rules(caller: Caller = Depends(require_role(*KEY_ROLES))) -> Rules:
    return Rules(rules=credit.rules())


@router.get(
    "/v1/measures",
    response_model=Measures,
    summary="The joint reward and punishment measures",
    description=(
        "Every measure of measures.yaml, mandatory first (Chenzhou item 19): code, Chinese and English names, type "
        "(administrative, market, industry, social), class (mandatory, recommended), the subject kinds it applies "
        "to, its effect (restrict, favour, flag, info), the actions it restricts or favours, and its legal basis. "
        "E.g. `mkt_consumption_restriction` restricts `flight`, `high_speed_rail`, `star_hotel`...\n\n"
        "Roles: every role."),
    responses={**_ok(ex.MEASURES), **responses(401, 503)},
)
async def get_measures(caller: Caller = Depends(require_role(*KEY_ROLES))) -> Measures:
    return Measures(measures=credit.measures())


@router.get(
    "/v1/actions",
    response_model=Actions,
    summary="The actions a check asks about",
    description=("The fixed vocabulary of actions.yaml that measures restrict or favour and that `POST /v1/checks` "
                 "asks about: `public_procurement_bid`, `flight`, `green_channel`...\n\nRoles: every role."),
    responses={**_ok(ex.ACTIONS), **responses(401, 503)},
)
async def get_actions(caller: Caller = Depends(require_role(*KEY_ROLES))) -> Actions:
    return Actions(actions=credit.actions())
