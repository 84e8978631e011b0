"""The credit answers as the API gives them: each liability with its rule, record, bound subject
and a sentence explaining it (record, rule, role and its dates, path, legal basis, window), a
subject's credit, a record's reach, a release. Plain dicts; the routers validate them into their
answer models and mask them for the public role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph_service.domain.catalogue import catalogue
from graph_service.domain.vocabulary import SUBJECT_KINDS

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
    sid = rec.get("subject_id")
    rec["subject"] = _subject(rec.get("subject_kind"), sid, (names or {}).get(sid) if isinstance(sid, str) else None)
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



def _release(record_id: str, r: dict[str, Any]) -> dict[str, Any]:
    return {"record_id": record_id, "person": {"person_id": r["person_id"], "name": r.get("name")},
            **{k: r.get(k) for k in ("on", "reason", "by", "at")}}


def reach_answer(raw: dict[str, Any], ctx: dict[str, Any], d: dt.date) -> dict[str, Any]:
    rec = raw["record"]
    names = {p["person_id"]: p["name"] for p in ctx["responsible"]}
    record = {**rec, "subject": _subject(rec["subject_kind"], rec["subject_id"], ctx["subject_name"]),
              "in_force": in_force_on(rec, d), "provenance": provenance(rec),
              "responsible": [{"person_id": p, "name": names.get(p)} for p in rec.get("responsible_person_ids") or []]}
    brief = _brief(rec)
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


def provenance(props: dict[str, Any]) -> dict[str, Any]:
    """Which load wrote the fact, from which file and line, and when (the `src_*` properties)."""
    return {"load": props.get("src_load"), "file": props.get("src_file"), "line": props.get("src_line"),
            "at": props.get("src_at")}


def _brief(rec: dict[str, Any]) -> dict[str, Any]:
    """The record as each liability it caused repeats it."""
    return {k: rec.get(k) for k in ("record_id", "kind", "category", "severity", "subject_kind", "subject_id",
                                    "authority_id", "document_no", "misconduct_on", "decided_on", "valid_until",
                                    "status", "ended_on")}


def release_answer(record_id: str, person_id: str, done: dict[str, Any]) -> dict[str, Any]:
    """A release just made, with the person's liabilities under the record afterwards."""
    reached: dict[str, Any] = next((r for r in done["raw"]["reaches"] if (r["subject_kind"], r["subject_id"]) == ("person", person_id)),
                   {"liabilities": []})
    rec = done["raw"]["record"]
    [release] = [x for x in done["ctx"]["releases"] if x["person_id"] == person_id]
    return {"release": _release(record_id, release),
            "liabilities": [liability(lb, record=_brief(rec), names={rec["subject_id"]: done["ctx"]["subject_name"]})
                            for lb in reached["liabilities"]]}
