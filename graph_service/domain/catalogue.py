"""The catalogue of actions, measures and liability rules (actions.yaml, measures.yaml, rules.yaml).

Loaded and validated once (the API and the CLI call `catalogue()` at start-up): a YAML entry that
names an unknown action, measure, role, category or record kind, or attaches a measure to a kind of
subject it does not apply to, stops the start with a `CatalogueError` naming the file, the entry
and the field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NoReturn

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph_service.domain.vocabulary import (
    BLACK_CATEGORIES,
    REACH_ROLES,
    ROLES,
    RecordKind,
    Severity,
    SubjectKind,
)
from graph_service.errors import ServiceError

DOMAIN_DIR = Path(__file__).resolve().parent



class CatalogueError(ServiceError, ValueError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Action(_Strict):
    code: str
    name_zh: str
    name_en: str
    # A rule of eligibility that decides a favour for the action beside the measures in force
    # (green_channel: policy item 6, graph_service.workflow.redlist).
    eligibility: Literal["green_channel"] | None = None


class Measure(_Strict):
    code: str
    name_zh: str
    name_en: str
    type: Literal["administrative", "market", "industry", "social"]
    class_: Literal["mandatory", "recommended"] = Field(alias="class")
    applies_to: tuple[SubjectKind, ...]
    effect: Literal["restrict", "favour", "flag", "info"]
    actions: tuple[str, ...] = ()
    legal_basis: str

    def public(self) -> dict[str, Any]:
        d = self.model_dump(by_alias=True)
        d["applies_to"] = list(self.applies_to)
        d["actions"] = list(self.actions)
        return d


class Trigger(_Strict):
    kinds: tuple[RecordKind, ...]
    subject_kinds: tuple[SubjectKind, ...]
    categories: tuple[str, ...] | None = None
    severities: tuple[Severity, ...] | None = None


class Reach(_Strict):
    kind: Literal["subject", "named_responsible", "roles", "serving"]
    roles: tuple[str, ...] = ()
    require_named: bool = False


class LostWhen(_Strict):
    black_record_of_subject: bool = True
    liable_roles: tuple[str, ...] = ()
    liable_measure: str
    # A holder of one of liable_roles who has a black record in his own name loses the incentives
    # too (items 15, 18: his own serious dishonesty counts at least as much as a liability).
    black_record_of_holder: bool = False


class Rule(_Strict):
    id: str
    name_zh: str
    description: str
    trigger: Trigger
    reach: Reach
    anchor: Literal["misconduct_date", "decision_date", "as_of"]
    measures: tuple[str, ...]
    legal_basis: str
    releasable: bool = False
    # With anchor as_of: a person holding the role on the record's decision date stays bound for the
    # record's window (until released), whatever the registry says afterwards (domain.md 1.7).
    retain_decision_holders: bool = False
    lost_when: LostWhen | None = None

    @property
    def binds(self) -> tuple[str, ...]:
        """The kinds of node this rule's liabilities bind."""
        if self.reach.kind == "subject":
            return self.trigger.subject_kinds
        if self.reach.kind == "serving":
            return ("enterprise",)
        return ("person",)

    def public(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class AssociatedRisk(_Strict):
    key_roles: tuple[str, ...]
    min_ratio: float
    liable_measure: str


class Catalogue(_Strict):
    actions: dict[str, Action]
    measures: dict[str, Measure]
    rules: tuple[Rule, ...]
    associated_risk: AssociatedRisk

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    @property
    def mandatory_measures(self) -> list[str]:
        return [m.code for m in self.measures.values() if m.class_ == "mandatory"]

    def order_measures(self, codes) -> list[str]:
        """Mandatory measures first (Chenzhou item 19), then by code."""
        return sorted(set(codes), key=lambda c: (self.measures[c].class_ != "mandatory", c))


def _load(path: Path) -> dict:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise CatalogueError(f"{path.name}: expected a mapping at the top level")
    return raw


def _read(path: Path, key: str, raw: dict | None = None) -> list[dict]:
    raw = _load(path) if raw is None else raw
    if not isinstance(raw.get(key), list):
        raise CatalogueError(f"{path.name}: expected a top-level list `{key}:`")
    return raw[key]


def _entry_name(entry: Any, i: int, what: str) -> str:
    code = entry.get("id") or entry.get("code") if isinstance(entry, dict) else None
    return f"{what} {code!r} (entry {i + 1})" if code else f"{what} entry {i + 1}"


def _parse(model, entry: Any, where: str):
    try:
        return model.model_validate(entry)
    except ValidationError as exc:
        problems = "; ".join(
            f"field {'.'.join(str(p) for p in e['loc']) or '(entry)'}: {e['msg']}" for e in exc.errors()
        )
        raise CatalogueError(f"{where}: {problems}") from None


def _unique(items, what: str, file: str, key: str) -> dict:
    out: dict = {}
    for i, item in enumerate(items):
        k = getattr(item, key)
        if k in out:
            raise CatalogueError(f"{file}: {what} {k!r} (entry {i + 1}) is defined twice")
        out[k] = item
    return out


def _check_rule(rule: Rule, where: str, measures: dict[str, Measure]) -> None:
    def fail(field: str, why: str) -> NoReturn:
        raise CatalogueError(f"{where}, field {field}: {why}")

    t, reach = rule.trigger, rule.reach
    if not t.kinds:
        fail("trigger.kinds", "empty")
    if not t.subject_kinds:
        fail("trigger.subject_kinds", "empty")
    if t.categories is not None and "black" in t.kinds:
        for c in t.categories:
            if c not in BLACK_CATEGORIES:
                fail("trigger.categories", f"unknown category {c!r} (one of {', '.join(BLACK_CATEGORIES)})")
    for role in reach.roles:
        if role not in REACH_ROLES:
            fail("reach.roles", f"unknown role {role!r} (one of {', '.join(REACH_ROLES)})")
    if reach.kind in ("roles", "serving") and not reach.roles:
        fail("reach.roles", f"reach {reach.kind!r} needs at least one role")
    if reach.kind in ("subject", "named_responsible") and reach.roles:
        fail("reach.roles", f"reach {reach.kind!r} takes no roles")
    if reach.require_named and reach.kind != "roles":
        fail("reach.require_named", "only a `roles` reach can require the person to be named")
    if reach.kind in ("roles", "named_responsible") and set(t.subject_kinds) != {"enterprise"}:
        fail("trigger.subject_kinds", f"reach {reach.kind!r} needs enterprise subjects only")
    if reach.kind == "serving":
        if set(t.subject_kinds) != {"person"}:
            fail("trigger.subject_kinds", "reach 'serving' needs person subjects only")
        if "shareholder" in reach.roles:
            fail("reach.roles", "reach 'serving' follows roles, not shareholdings")
    if rule.anchor == "as_of" and reach.kind not in ("roles", "serving"):
        fail("anchor", "anchor 'as_of' applies to roles only (reach roles or serving)")
    if rule.releasable and "person" not in rule.binds:
        fail("releasable", "only liabilities of persons can be released")
    if rule.retain_decision_holders and (rule.anchor != "as_of" or reach.kind != "roles" or not rule.releasable):
        fail("retain_decision_holders", "only a releasable `roles` rule with anchor 'as_of' keeps the holders "
                                        "of the decision date bound until released")
    if not rule.measures:
        fail("measures", "a rule attaches at least one measure")
    for code in rule.measures:
        m = measures.get(code)
        if m is None:
            fail("measures", f"unknown measure {code!r} (not in measures.yaml)")
        for kind in rule.binds:
            if kind not in m.applies_to:
                fail("measures", f"measure {code!r} does not apply to {kind} subjects (applies_to: "
                                 f"{', '.join(m.applies_to)})")
        if "red" in t.kinds and m.effect == "restrict":
            fail("measures", f"a red-record rule cannot attach the restricting measure {code!r}")
        if "red" not in t.kinds and m.effect == "favour":
            fail("measures", f"only red-record rules attach the incentive {code!r}")
    if "red" in t.kinds:
        if set(t.kinds) != {"red"}:
            fail("trigger.kinds", "a red-record rule triggers on red records only")
        if rule.lost_when is None:
            fail("lost_when", "a red-record rule says when the incentives are lost")
    if rule.lost_when is not None:
        if set(t.kinds) != {"red"}:
            fail("lost_when", "only red-record rules are lost")
        if reach.kind != "subject":
            fail("reach.kind", "a red-record rule reaches its subject")
        for role in rule.lost_when.liable_roles:
            if role not in ROLES:
                fail("lost_when.liable_roles", f"unknown role {role!r} (one of {', '.join(ROLES)})")
        if rule.lost_when.liable_measure not in measures:
            fail("lost_when.liable_measure", f"unknown measure {rule.lost_when.liable_measure!r}")
        if rule.lost_when.black_record_of_holder and not rule.lost_when.liable_roles:
            fail("lost_when.black_record_of_holder", "names no holder: give liable_roles")


def load_catalogue(directory: Path = DOMAIN_DIR) -> Catalogue:
    actions_file, measures_file, rules_file = (directory / n for n in ("actions.yaml", "measures.yaml", "rules.yaml"))

    actions = _unique(
        [_parse(Action, e, f"actions.yaml, {_entry_name(e, i, 'action')}")
         for i, e in enumerate(_read(actions_file, "actions"))],
        "action", "actions.yaml", "code")

    measures_raw = _read(measures_file, "measures")
    measures_list = []
    for i, e in enumerate(measures_raw):
        where = f"measures.yaml, {_entry_name(e, i, 'measure')}"
        m = _parse(Measure, e, where)
        for a in m.actions:
            if a not in actions:
                raise CatalogueError(f"{where}, field actions: unknown action {a!r} (not in actions.yaml)")
        if m.effect in ("restrict", "favour") and not m.actions:
            raise CatalogueError(f"{where}, field actions: a {m.effect!r} measure names the actions it {m.effect}s")
        if m.effect in ("flag", "info") and m.actions:
            raise CatalogueError(f"{where}, field actions: a {m.effect!r} measure restricts no action")
        if not m.applies_to:
            raise CatalogueError(f"{where}, field applies_to: empty")
        measures_list.append(m)
    measures = _unique(measures_list, "measure", "measures.yaml", "code")

    rules_raw = _load(rules_file)
    rules_list = []
    for i, e in enumerate(_read(rules_file, "rules", rules_raw)):
        where = f"rules.yaml, {_entry_name(e, i, 'rule')}"
        rule = _parse(Rule, e, where)
        if "|" in rule.id:
            raise CatalogueError(f"{where}, field id: '|' separates the parts of a liability id")
        _check_rule(rule, where, measures)
        rules_list.append(rule)
    _unique(rules_list, "rule", "rules.yaml", "id")

    risk = _parse(AssociatedRisk, rules_raw.get("associated_risk"), "rules.yaml, associated_risk")
    for role in risk.key_roles:
        if role not in ROLES:
            raise CatalogueError(f"rules.yaml, associated_risk, field key_roles: unknown role {role!r}")
    if risk.liable_measure not in measures:
        raise CatalogueError(f"rules.yaml, associated_risk, field liable_measure: unknown measure {risk.liable_measure!r}")
    if not 0 < risk.min_ratio <= 1:
        raise CatalogueError("rules.yaml, associated_risk, field min_ratio: must be in (0, 1]")

    return Catalogue(actions=actions, measures=measures, rules=tuple(rules_list), associated_risk=risk)


@lru_cache
def catalogue() -> Catalogue:
    return load_catalogue()
