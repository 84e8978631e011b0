"""Reading the materialised liabilities for the API (issue 3, item 6).

Every function that reads the graph is an async unit of work taking a neo4j
`AsyncManagedTransaction` first, for `session.execute_read(credit_of, "enterprise", uscc, as_of)`
(and `execute_write` for `release`); the caller sets the transaction timeout. Answers are plain
dicts (datetime.date for dates), ready for pydantic response models.

- `credit_of`: direct records, derived liabilities with their explanation, measures in force,
  associated risk (information only, never a measure).
- `check_batch`: restricted | favoured | clear for each (subject, action, day) asked, with the
  basis (应查必查), many in one statement; `check` the same for one (the statement with one entry).
- `record_reach`: a record, everyone it reaches, the regions notified.
- `rules()`, `measures()`, `actions()`: the catalogue.
- `release`: release a former holder from a record's releasable liabilities, recomputing them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from graph_service.domain.catalogue import Catalogue, catalogue
from graph_service.domain.vocabulary import SUBJECT_KINDS
from graph_service.errors import ServiceError
from graph_service.propagation import steps
from graph_service.propagation.steps import ReleaseRefused, Summary
from graph_service.runner import rows_async, run_async, single_async
from graph_service.settings import service_settings
from graph_service.workflow import redlist

__all__ = [
    "ReleaseRefused",
    "UnknownAction",
    "UnknownRecord",
    "UnknownSubject",
    "action_measures",
    "actions",
    "check",
    "check_batch",
    "credit_of",
    "decide",
    "measures",
    "record_reach",
    "release",
    "rules",
]

MAX_RISK_DEPTH = 4  # the longest shareholding path the associated-risk statement can follow


class UnknownSubject(ServiceError, LookupError):
    status, code = 404, "not_found"


class UnknownRecord(ServiceError, LookupError):
    status, code = 404, "not_found"


class UnknownAction(ServiceError, ValueError):
    status, code = 422, "unknown_action"



def _explain(lb: dict[str, Any], cat: Catalogue) -> dict[str, Any]:
    rule = cat.rule(lb["rule_id"])
    lb["rule"] = {"id": rule.id, "name_zh": rule.name_zh, "description": rule.description, "anchor": rule.anchor}
    return lb


def _measure_entry(code: str, cat: Catalogue) -> dict[str, Any]:
    return cat.measures[code].public()


def measures_in_force(liabilities: Iterable[dict[str, Any]], cat: Catalogue) -> list[dict[str, Any]]:
    """The measures of the liabilities that are not suspended, mandatory first, each with the
    liabilities it comes from."""
    sources: dict[str, list[str]] = {}
    for lb in liabilities:
        if lb.get("suspended"):
            continue
        for code in lb["measures"]:
            sources.setdefault(code, []).append(lb["liability_id"])
    return [{**_measure_entry(code, cat), "liability_ids": sources[code]} for code in cat.order_measures(sources)]


async def credit_of(tx, subject_kind: str, subject_id: str, as_of: date) -> dict[str, Any]:
    """Records, liabilities in force on `as_of` with their explanation, measures in force (with
    the actions they restrict or favour) and associated risk. Raises UnknownSubject."""
    if subject_kind not in SUBJECT_KINDS:
        raise ValueError(f"subject_kind must be enterprise or person, not {subject_kind!r}")
    cat = catalogue()
    row = await single_async(tx, "credit/of", subject_kind=subject_kind, subject_id=subject_id, as_of=as_of)
    if row is None or not row["found"]:
        raise UnknownSubject(f"no {subject_kind} {subject_id!r}")
    liabilities = [_explain(lb, cat) for lb in row["liabilities"]]
    in_force = measures_in_force(liabilities, cat)
    restricted = sorted({a for m in in_force if m["effect"] == "restrict" for a in m["actions"]})
    favoured = sorted({a for m in in_force if m["effect"] == "favour" for a in m["actions"]} - set(restricted))
    risk = cat.associated_risk
    links = await single_async(tx, "credit/associated_risk", subject_kind=subject_kind, subject_id=subject_id,
                               as_of=as_of, key_roles=list(risk.key_roles), min_ratio=risk.min_ratio,
                               liable_measure=risk.liable_measure,
                               depth=max(0, min(service_settings().associated_risk_depth, MAX_RISK_DEPTH)))
    return {
        "subject_kind": subject_kind,
        "subject_id": subject_id,
        "name": row["name"],
        "as_of": as_of,
        "records": row["records"],
        "liabilities": liabilities,
        "suspended": [lb["liability_id"] for lb in liabilities if lb["suspended"]],
        "measures": in_force,
        "restricted_actions": restricted,
        "favoured_actions": favoured,
        "associated_risk": {"measure": False, **(links or {"person_links": [], "shareholding_links": []})},
    }


def _basis(lb: dict[str, Any], codes: list[str], effect: str) -> dict[str, Any]:
    entry = {
        "liability_id": lb["liability_id"], "record_id": lb["record_id"], "rule_id": lb["rule_id"],
        "role": lb.get("role"), "role_start": lb.get("role_start"), "role_end": lb.get("role_end"),
        "anchor": lb.get("anchor"), "anchor_on": lb.get("anchor_on"), "path": lb["path"],
        "legal_basis": lb["legal_basis"], "valid_from": lb["valid_from"], "valid_to": lb.get("valid_to"),
        "measures": codes, "effect": effect, "record": lb.get("record"),
    }
    if effect == "lost":
        entry.update(lost_on=lb["lost_on"], lost_record_id=lb["lost_record_id"], lost_path=lb["lost_path"])
    return entry


def decide(action: str, liabilities: list[dict[str, Any]], cat: Catalogue,
           lost: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """restricted when a measure in force restricts the action, else favoured when one favours it,
    else clear. Suspended liabilities count for nothing but are reported; incentives lost by then
    (`lost`) explain a clear answer where the subject once was favoured."""
    if not liabilities and not lost:
        # Most subjects: what the general case below gives for no liability, without its work.
        return {"decision": "clear", "measures": [], "basis": []}
    effects = {code: m.effect for code, m in cat.measures.items() if action in m.actions}
    basis: list[dict[str, Any]] = []
    suspended: list[dict[str, Any]] = []
    for lb in liabilities:
        codes = [c for c in lb["measures"] if c in effects]
        effect = "restrict" if any(effects[c] == "restrict" for c in codes) else "favour"
        (suspended if lb.get("suspended") else basis).append(_basis(lb, codes, effect))
    if any(b["effect"] == "restrict" for b in basis):
        decision = "restricted"
        basis = [b for b in basis if b["effect"] == "restrict"]
    elif basis:
        decision = "favoured"
    else:
        decision = "clear"
        basis = [_basis(lb, [c for c in lb["measures"] if c in effects], "lost") for lb in lost]
    codes = cat.order_measures({c for b in basis if b["effect"] != "lost" for c in b["measures"]})
    out = {"decision": decision, "measures": [_measure_entry(c, cat) for c in codes], "basis": basis}
    notes = []
    if suspended:
        out["suspended"] = suspended
        notes.append("measures of records under objection are suspended while the information is verified "
                     "(郴政发〔2017〕11号 第21项)")
    if decision == "clear" and basis:
        notes.extend(f"incentives of record {b['record_id']} lost on {b['lost_on']} because of record "
                     f"{b['lost_record_id']} ({' -> '.join(b['lost_path'])})" for b in basis)
    if notes:
        out["note"] = "; ".join(notes)
    return out


def action_measures(action: str, cat: Catalogue) -> list[str]:
    """The codes of the measures restricting or favouring `action`, sorted (the statements' $measures)."""
    return sorted(code for code, m in cat.measures.items() if action in m.actions)


def _unknown_action(action: str, cat: Catalogue) -> UnknownAction:
    return UnknownAction(f"unknown action {action!r}; one of: {', '.join(cat.actions)}")


def _answer(row: dict[str, Any] | None, subject_id: str, action: str, as_of: date, cat: Catalogue) -> dict[str, Any]:
    """The check's answer from a row of credit/check_batch."""
    if row is None or not (row["is_enterprise"] or row["is_person"]):
        raise UnknownSubject(f"no enterprise or person {subject_id!r}")
    kind = "enterprise" if row["is_enterprise"] else "person"
    liabilities = [lb for lb in row["liabilities"] if lb["subject_kind"] == kind]
    lost = [lb for lb in row["lost"] if lb["subject_kind"] == kind]
    # A subject merged into another by a "same" judgement answers as the canonical one, naming the
    # id asked as `merged_from` (docs/search.md, Identity).
    merged = {"subject_id": row["canonical"], "merged_from": subject_id} if row.get("canonical") else {}
    return {"subject_id": subject_id, "subject_kind": kind, "action": action, "as_of": as_of,
            **decide(action, liabilities, cat, lost), **merged}


def answer_of(row: dict[str, Any] | None, subject_id: str, action: str, as_of: date,
              cat: Catalogue) -> dict[str, Any]:
    """The check's answer from a row shaped as credit/check_batch's (known_at rebuilds such rows
    for an earlier moment: graph_service.changes.known_at)."""
    return _answer(row, subject_id, action, as_of, cat)


async def eligibility(tx, answer: dict[str, Any], cat: Catalogue, facts: dict[str, Any] | None = None
                      ) -> dict[str, Any]:
    """The answer of an action with a rule of eligibility (actions.yaml), decided by that rule over
    the subject's facts (workflow/green_channel_facts; given: as known_at rebuilt them)."""
    if cat.actions[answer["action"]].eligibility != "green_channel":
        return answer
    if facts is None:
        facts = await single_async(tx, "workflow/green_channel_facts", subject_id=answer["subject_id"],
                                   personal_record=cat.associated_risk.liable_measure)
    if facts is None:  # gone since its check was read (statements may run apart: Graph.read_auto)
        raise UnknownSubject(f"no enterprise or person {answer['subject_id']!r}")
    g = redlist.assess_green_channel(answer["subject_id"], facts, answer["as_of"])
    favour = [_measure_entry(c, cat) for c in cat.order_measures(
        {c for c in action_measures(answer["action"], cat) if cat.measures[c].effect == "favour"})]
    return redlist.decide(answer, g, favour)


# The days of credit/check_batch's liabilities and lost incentives, sent as ISO strings.
_LIABILITY_DAYS = ("role_start", "role_end", "anchor_on", "valid_from", "valid_to")
_LOST_DAYS = ("anchor_on", "valid_from", "valid_to", "lost_on")


def _days(lb: dict[str, Any], keys: tuple[str, ...]) -> None:
    for k in keys:
        if (v := lb.get(k)) is not None:
            lb[k] = date.fromisoformat(v)
    if (r := lb.get("record")) is not None and r.get("decided_on") is not None:
        r["decided_on"] = date.fromisoformat(r["decided_on"])


# The key of an answer of check_batch(..., seq=True) holding the change-log number it was read at.
SEQ = "_seq"


async def check_batch(tx, checks: Sequence[tuple[str, str, date]], seq: bool = False
                      ) -> list[dict[str, Any] | UnknownSubject | UnknownAction]:
    """`check` for each (subject_id, action, as_of) of `checks`, in one statement
    (credit/check_batch): in order, the answer `check` gives for it, or the exception it would
    raise (UnknownAction, UnknownSubject), returned, not raised. The same check asked twice is
    read once; each answer is a dict of its own. `seq`: each answer also holds, under SEQ, the last
    change-log number given when it was read (the stored check keeps it for its replay)."""
    cat = catalogue()
    measures: dict[str, list[str]] = {}
    slot: dict[tuple[str, str, date], int] = {}
    params: list[dict[str, Any]] = []
    for sid, action, as_of in checks:
        if action not in cat.actions or (sid, action, as_of) in slot:
            continue
        if action not in measures:
            measures[action] = action_measures(action, cat)
        slot[(sid, action, as_of)] = len(params)
        # The day as an ISO string: the driver packs one faster than a date (a batch has a thousand).
        params.append({"subject_id": sid, "as_of": as_of.isoformat(), "measures": measures[action]})
    rows: list[dict[str, Any] | None] = [None] * len(params)
    if params:
        for row in await rows_async(tx, "credit/check_batch", convert=False, packed=True, checks=params):
            for lb in row["liabilities"]:
                _days(lb, _LIABILITY_DAYS)
            for lb in row["lost"]:
                _days(lb, _LOST_DAYS)
            rows[row["i"]] = row
    out: list[dict[str, Any] | UnknownSubject | UnknownAction] = []
    for sid, action, as_of in checks:
        if action not in cat.actions:
            out.append(_unknown_action(action, cat))
            continue
        try:
            got = rows[slot[(sid, action, as_of)]]
            answer = await eligibility(tx, _answer(got, sid, action, as_of, cat), cat)
            if seq and got is not None:
                answer[SEQ] = got["seq"]
            out.append(answer)
        except UnknownSubject as exc:
            out.append(exc)
    return out


async def check(tx, subject_id: str, action: str, as_of: date) -> dict[str, Any]:
    """{decision: restricted | favoured | clear, measures, basis[]} for `action` by the subject on
    `as_of`. The subject kind is found from the id (an enterprise's USCC or a person's id).
    Raises UnknownAction, UnknownSubject. One statement: the batch's, with one entry."""
    [answer] = await check_batch(tx, [(subject_id, action, as_of)])
    if isinstance(answer, Exception):
        raise answer
    return answer


async def record_reach(tx, record_id: str, as_of: date) -> dict[str, Any]:
    """The record, everyone it reaches (each liability with `in_force` on `as_of`), the regions it
    reaches with the reasons, its notifications, and its associated risk on `as_of` (information,
    never a measure). Raises UnknownRecord."""
    cat = catalogue()
    row = await single_async(tx, "credit/record_reach", record_id=record_id)
    if row is None:
        raise UnknownRecord(f"no record {record_id!r}")
    liabilities = [_explain(lb, cat) for lb in row["liabilities"]]
    for lb in liabilities:
        lb["in_force"] = lb["valid_from"] <= as_of and (lb.get("valid_to") is None or as_of < lb["valid_to"])
    reached = sorted({(lb["subject_kind"], lb["subject_id"]) for lb in liabilities})
    risk = cat.associated_risk
    links = await single_async(tx, "credit/record_associated_risk", record_id=record_id, as_of=as_of,
                               key_roles=list(risk.key_roles), min_ratio=risk.min_ratio,
                               liable_measure=risk.liable_measure,
                               depth=max(0, min(service_settings().associated_risk_depth, MAX_RISK_DEPTH)))
    return {
        "record": row["record"],
        "as_of": as_of,
        "reaches": [{"subject_kind": k, "subject_id": i,
                     "in_force": any(lb["in_force"] for lb in liabilities
                                     if (lb["subject_kind"], lb["subject_id"]) == (k, i)),
                     "liabilities": [lb for lb in liabilities if (lb["subject_kind"], lb["subject_id"]) == (k, i)]}
                    for k, i in reached],
        "regions": row["regions"],
        "notifications": row["notifications"],
        "associated_risk": {"measure": False, **(links or {"person_links": [], "shareholding_links": []})},
    }


def rules() -> list[dict[str, Any]]:
    return [r.public() for r in catalogue().rules]


def measures() -> list[dict[str, Any]]:
    cat = catalogue()
    return [cat.measures[c].public() for c in cat.order_measures(cat.measures)]


def actions() -> list[dict[str, Any]]:
    return [a.model_dump() for a in catalogue().actions.values()]


async def release(tx, person_id: str, record_id: str, on: date, reason: str, by: str) -> Summary:
    """Release a holder from the record's releasable liabilities from `on` (the court lifting the
    restriction of a legal representative changed for genuine business reasons); recomputes the
    record in the same transaction. Raises ReleaseRefused saying why not (named responsible, actual
    controller of the subject on `on`, not bound by a releasable liability)."""
    return await run_async(tx, steps.release(steps.params_for(), catalogue(), person_id, record_id, on, reason, by))
