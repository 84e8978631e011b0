"""Reading the propagated liabilities (issue 3, item 6): a subject's credit, a record's reach,
releases of former holders, and the catalogue of rules, measures and actions.

The answers come from `graph_service.credit`; this module adds access control (roles, region
scope, the audit of person-level reads), masking for the public role, and an explanation sentence
beside every derived liability.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

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
from graph_service.api.errors import ApiError, ErrorBody, SubjectMerged, not_found, responses
from graph_service.api.examples import credit as ex
from graph_service.api.inputs import HELD_ON, IsoDate, checked_person_id, checked_record_id, checked_uscc
from graph_service.api.json_body import JsonRoute
from graph_service.api.models.common import Provenance
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
from graph_service.api.privacy import mask_person_id, mask_persons, mask_subjects, subject_refs
from graph_service.domain.catalogue import catalogue
from graph_service.domain.vocabulary import KEY_ROLES, SUBJECT_KINDS
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


# --- explanation and shaping -------------------------------------------------------------------

_ROLE_WORDS = {"subject": "as the record's own subject",
               "named_responsible": "as a person the record names as directly responsible"}


def explanation(lb: dict[str, Any]) -> str:
    """One sentence: record, rule, role and its dates, path, legal basis, window."""
    rec = lb.get("record") or {}
    rule_name = (lb.get("rule") or {}).get("name_zh")
    role = lb.get("role")
    if role in _ROLE_WORDS:
        held = _ROLE_WORDS[role]
    else:
        tested = f", tested on {lb['anchor_on']} ({lb.get('anchor')})" if lb.get("anchor_on") else ""
        if lb.get("anchor") == "as_of" and lb.get("anchor_on"):
            # retain_decision_holders: a change in the registry after the decision does not free him
            tested = (f", in office on the decision date {lb['anchor_on']}: bound until released or the record "
                      f"ends, whatever the registry says later")
        held = f"as {role} (held {lb.get('role_start') or 'since ever'} until {lb.get('role_end') or 'now'}{tested})"
    what = ", ".join(str(x) for x in (rec.get("kind"), rec.get("category")) if x)
    decided = f", decided {rec['decided_on']}" if rec.get("decided_on") else ""
    named = f" ({rule_name})" if rule_name else ""
    path = " -> ".join(lb.get("path") or [])
    text = (f"Bound by rule {lb['rule_id']}{named} through record {lb['record_id']} ({what}{decided}) {held}; "
            f"path {path}; legal basis {lb.get('legal_basis') or 'none stated'}; "
            f"in force [{lb['valid_from']}, {lb.get('valid_to') or 'open'})")
    if lb.get("released_on"):
        text += f"; released individually from {lb['released_on']}"
    if lb.get("lost_on"):
        lost_path = " -> ".join(lb.get("lost_path") or [])
        text += f"; incentives lost from {lb['lost_on']} because of record {lb.get('lost_record_id')} ({lost_path})"
    if lb.get("suspended"):
        text += "; suspended on the day asked: the record is under objection (郴政发〔2017〕11号 第21项)"
    return text + "."


def _subject(kind: str | None, id_: str | None, name: str | None = None) -> dict[str, Any] | None:
    if kind not in SUBJECT_KINDS or not id_:
        return None
    return {"kind": kind, "id": id_, "name": name}


def liability(lb: dict[str, Any], bound_name: str | None = None, record: dict[str, Any] | None = None,
              in_force: bool | None = None, names: dict[str, str | None] | None = None) -> dict[str, Any]:
    """A liability with its rule, record (and the record's subject), bound subject and explanation;
    `names` gives the names of subjects the caller knows (by id)."""
    rec = dict(record if record is not None else lb.get("record") or {"record_id": lb["record_id"]})
    rec["subject"] = _subject(rec.get("subject_kind"), rec.get("subject_id"), (names or {}).get(rec.get("subject_id")))
    rule = lb.get("rule") or {"id": lb["rule_id"]}
    out = {**lb, "rule": rule, "record": rec,
           "bound": _subject(lb.get("subject_kind"), lb.get("subject_id"), bound_name or lb.get("bound_name")),
           "in_force": in_force if in_force is not None else lb.get("in_force"),
           "suspended": bool(lb.get("suspended"))}
    out["explanation"] = explanation(out)
    return out


def _with_rule(lb: dict[str, Any]) -> dict[str, Any]:
    """The rule's name and description beside its id, as credit_of gives them."""
    rule = catalogue().rule(lb["rule_id"])
    return {**lb, "rule": {"id": rule.id, "name_zh": rule.name_zh, "description": rule.description,
                           "anchor": rule.anchor}}


def risk_links(links: dict[str, Any]) -> dict[str, Any]:
    def link(x: dict[str, Any]) -> dict[str, Any]:
        # `name` is the enterprise's when the row has one, else the person's.
        out = {k: x.get(k) for k in ("reason", "role", "ratio", "record_id", "liability_id", "depth", "path")}
        if x.get("uscc"):
            out["enterprise"] = {"uscc": x["uscc"], "name": x.get("name")}
        if x.get("person_id"):
            out["person"] = {"person_id": x["person_id"], "name": None if x.get("uscc") else x.get("name")}
        return out

    def order(x: dict[str, Any]) -> tuple:
        # The statement orders by enterprise only; several roles in one enterprise come in any order.
        return (x.get("uscc") or "", x.get("person_id") or "", x.get("role") or "", x.get("liability_id") or "")

    return {"measure": False, "person_links": [link(x) for x in sorted(links["person_links"], key=order)],
            "shareholding_links": [link(x) for x in links["shareholding_links"]]}


def in_force_on(rec: dict[str, Any], d: dt.date) -> bool:
    decided, until, ended = rec.get("decided_on"), rec.get("valid_until"), rec.get("ended_on")
    if decided is None or d < decided or (until is not None and d > until):
        return False
    return not (rec.get("status") in ("revoked", "repaired") and ended is not None and ended <= d)


# --- masking for the public role ---------------------------------------------------------------

def person_ids(obj: Any, found: set[str] | None = None) -> set[str]:
    """Every person id an answer carries, in references, paths and keys."""
    found = set() if found is None else found
    if isinstance(obj, dict):
        if obj.get("subject_kind") == "person" and isinstance(obj.get("subject_id"), str):
            found.add(obj["subject_id"])
        if obj.get("kind") == "person" and isinstance(obj.get("id"), str):
            found.add(obj["id"])
        if isinstance(obj.get("person_id"), str):
            found.add(obj["person_id"])
        found.update(x for x in obj.get("responsible_person_ids") or [] if isinstance(x, str))
        for v in obj.values():
            person_ids(v, found)
    elif isinstance(obj, list):
        for v in obj:
            person_ids(v, found)
    elif isinstance(obj, str) and obj.startswith("person:"):
        found.add(obj[len("person:"):])
    return found


def scrub(obj: Any, ids: set[str]) -> Any:
    """Every person id inside every string (liability ids, role keys, paths, explanations) masked."""
    if isinstance(obj, dict):
        return {k: scrub(v, ids) for k, v in obj.items()}
    if isinstance(obj, list):
        return [scrub(v, ids) for v in obj]
    if isinstance(obj, str):
        for pid in ids:
            if pid in obj:
                obj = obj.replace(pid, mask_person_id(pid))
        return obj
    return obj


def present(model_cls, answer: dict[str, Any], caller: Caller):
    """The answer as its model; for the public role every person id and name masked."""
    if caller.sees_persons:
        return model_cls.model_validate(answer)
    return mask_persons(model_cls.model_validate(scrub(answer, person_ids(answer))))


# --- a subject's credit ------------------------------------------------------------------------

def credit_answer(raw: dict[str, Any]) -> dict[str, Any]:
    name = raw["name"]
    names = {raw["subject_id"]: name}
    return {
        "subject": _subject(raw["subject_kind"], raw["subject_id"], name),
        "as_of": raw["as_of"],
        "records": [{**r, "responsible": [{"person_id": p} for p in r.get("responsible_person_ids") or []]}
                    for r in raw["records"]],
        "liabilities": [liability(lb, name, in_force=True, names=names) for lb in raw["liabilities"]],
        "suspended": raw["suspended"],
        "measures": raw["measures"],
        "restricted_actions": raw["restricted_actions"],
        "favoured_actions": raw["favoured_actions"],
        "lost_incentives": [liability(_with_rule(lb), name, in_force=False, names=names) for lb in raw["lost"]],
        "associated_risk": risk_links(raw["associated_risk"]),
    }


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
    responses={**_ok(ex.ENTERPRISE_CREDIT), **responses(308, 401, 403, 404, 422, 503, 504)},
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
    raw, regions = await credit_reads.subject_credit(graph, "enterprise", value, d)
    caller.check_visible(regions, not_found("enterprise", "uscc", value))
    if raw.get("merged_into"):
        raise SubjectMerged("enterprise", value, raw["merged_into"], "uscc")
    answer = credit_answer(raw)
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
    responses={**_ok(ex.PERSON_CREDIT), **responses(308, 401, 403, 404, 422, 503, 504)},
)
async def person_credit(
    person_id: str = Path(description="identity document number; for a resident ID the 18-character citizen ID "
                                      "with its check character, or its first-generation 15-digit form (upgraded: "
                                      "either form finds the person)",
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
    raw, regions = await credit_reads.subject_credit(graph, "person", value, d)
    caller.check_visible(regions, not_found("person", "person_id", value))
    if raw.get("merged_into"):
        raise SubjectMerged("person", value, raw["merged_into"], "person_id")
    answer = credit_answer(raw)
    await audit_person_read(graph, caller, purpose, "GET /v1/persons/{person_id}/credit", "person", value, d)
    return json_response(present(Credit, answer, caller), by_alias=True)


# --- a record and what it reaches --------------------------------------------------------------

def _release(record_id: str, r: dict[str, Any]) -> dict[str, Any]:
    return {"record_id": record_id, "person": {"person_id": r["person_id"], "name": r.get("name")},
            **{k: r.get(k) for k in ("on", "reason", "by", "at")}}


def reach_answer(raw: dict[str, Any], ctx: dict[str, Any], d: dt.date) -> dict[str, Any]:
    rec = raw["record"]
    names = {p["person_id"]: p["name"] for p in ctx["responsible"]}
    record = {**rec, "subject": _subject(rec["subject_kind"], rec["subject_id"], ctx["subject_name"]),
              "in_force": in_force_on(rec, d), "provenance": Provenance.of(rec).model_dump(),
              "responsible": [{"person_id": p, "name": names.get(p)} for p in rec.get("responsible_person_ids") or []]}
    brief = {k: rec.get(k) for k in ("record_id", "kind", "category", "severity", "subject_kind", "subject_id",
                                     "authority_id", "document_no", "misconduct_on", "decided_on", "valid_until",
                                     "status", "ended_on")}
    reaches = []
    for r in raw["reaches"]:
        lbs = [liability(lb, record=brief, names={rec["subject_id"]: ctx["subject_name"]}) for lb in r["liabilities"]]
        name = next((lb.get("bound_name") for lb in r["liabilities"] if lb.get("bound_name")), None)
        reaches.append({"subject": _subject(r["subject_kind"], r["subject_id"], name), "in_force": r["in_force"],
                        "liabilities": lbs})
    return {"record": record, "as_of": d, "reaches": reaches, "regions": raw["regions"],
            "notifications": raw["notifications"],
            "releases": [_release(rec["record_id"], x) for x in ctx["releases"]],
            "associated_risk": risk_links(raw["associated_risk"])}


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
    raw, ctx = await credit_reads.record_reach(graph, value, d)
    caller.check_visible(ctx["authority_codes"] + ctx["subject_codes"] + ctx["reached_codes"],
                         not_found("record", "record_id", value))
    answer = reach_answer(raw, ctx, d)
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
    done = await credit_reads.release(graph, value, person_id, body.on, reason, caller.key_id or "anonymous")
    reached = next((r for r in done["raw"]["reaches"] if (r["subject_kind"], r["subject_id"]) == ("person", person_id)),
                   {"liabilities": []})
    rec = done["raw"]["record"]
    brief = {k: rec.get(k) for k in ("record_id", "kind", "category", "severity", "subject_kind", "subject_id",
                                     "authority_id", "document_no", "misconduct_on", "decided_on", "valid_until",
                                     "status", "ended_on")}
    [release] = [x for x in done["ctx"]["releases"] if x["person_id"] == person_id]
    answer = {"release": _release(value, release),
              "liabilities": [liability(lb, record=brief, names={rec["subject_id"]: done["ctx"]["subject_name"]})
                              for lb in reached["liabilities"]]}
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
