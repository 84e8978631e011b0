"""Answers of the credit read endpoints (issue 3, item 6): a subject's credit, a record's reach,
releases, and the catalogue (rules, measures, actions).

Every derived fact travels with its explanation: the liability names the record, the rule, the
role and its dates, the path from the record to the bound subject, the legal basis and the window,
and `explanation` says the same in one sentence.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graph_service.api.inputs import Id, IsoDate, Text
from graph_service.api.models.checks import MeasureOut
from graph_service.api.models.common import EnterpriseRef, PersonRef, RecordBody, RecordFields, SubjectRef


class RuleRef(BaseModel):
    id: str
    name_zh: str | None = None
    description: str | None = None
    anchor: str | None = Field(None, description="the day the role had to be held: misconduct_date, decision_date, "
                                                 "as_of")


class RecordBrief(BaseModel):
    """The record a liability comes from."""

    model_config = ConfigDict(extra="ignore")

    record_id: str
    kind: str | None = None
    category: str | None = None
    severity: str | None = None
    subject: SubjectRef | None = Field(None, description="the record's own subject")
    authority_id: str | None = None
    document_no: str | None = None
    misconduct_on: dt.date | None = None
    decided_on: dt.date | None = None
    valid_until: dt.date | None = None
    status: str | None = None
    ended_on: dt.date | None = None


class LiabilityExplained(BaseModel):
    """One derived liability: why the subject is bound, by which rule, from which record, since when."""

    model_config = ConfigDict(extra="ignore")

    liability_id: str = Field(description="`rule_id|record_id|bound id|role key`: stable across recomputes")
    rule: RuleRef
    record: RecordBrief
    bound: SubjectRef = Field(description="the person or enterprise the liability binds")
    role: str | None = Field(None, description="the role that made the subject liable (`subject` for the record's "
                                               "own subject, `named_responsible` for a person the record names, "
                                               "`shareholder`)")
    role_key: str | None = Field(None, description="the HOLDS_ROLE / HOLDS_SHARES key, or `subject`, `named`")
    role_start: dt.date | None = Field(None, description="first day the role was held (null: since ever)")
    role_end: dt.date | None = Field(None, description="first day no longer held (null: still held)")
    anchor: str | None = Field(None, description="misconduct_date, decision_date or as_of")
    anchor_on: dt.date | None = Field(None, description="the day the role was tested on")
    path: list[str] = Field(default_factory=list, description="record → subject → role and dates → bound subject")
    legal_basis: str | None = None
    measures: list[str] = Field(default_factory=list, description="measure codes, in the rule's order")
    valid_from: dt.date
    valid_to: dt.date | None = Field(None, description="first day no longer bound (half-open); null = open")
    released_on: dt.date | None = Field(None, description="a release of the person cut the window on this day")
    lost_on: dt.date | None = Field(None, description="incentives lost from this day (red records)")
    lost_record_id: str | None = Field(None, description="the black record that made the subject lose them")
    lost_path: list[str] | None = Field(None, description="that black record's path to the subject")
    in_force: bool | None = Field(None, description="binding on `as_of` (record answers, which list every window)")
    suspended: bool = Field(False, description="its record is under objection on `as_of`: counts for nothing "
                                               "(郴政发〔2017〕11号 第21项)")
    explanation: str = Field(description="the same, in one sentence")


class MeasureInForce(MeasureOut):
    liability_ids: list[str] = Field(description="the liabilities that attach it")


class RiskLink(BaseModel):
    """Associated risk: information for investigators, never a measure."""

    model_config = ConfigDict(extra="ignore")

    reason: Literal["liable_person_key_position", "shareholding_link_to_blacklisted"]
    enterprise: EnterpriseRef | None = Field(None, description="the linked enterprise")
    person: PersonRef | None = Field(None, description="the liable person in a key position")
    role: str | None = Field(None, description="the person's role there, or `shareholder`")
    ratio: float | None = None
    record_id: str | None = None
    liability_id: str | None = None
    depth: int | None = Field(None, description="shareholding steps to the blacklisted enterprise")
    path: list[str] | None = Field(None, description="USCCs from the subject to the blacklisted enterprise")


class AssociatedRisk(BaseModel):
    measure: Literal[False] = Field(False, description="always false: associated risk is never a measure")
    person_links: list[RiskLink]
    shareholding_links: list[RiskLink]


class CreditRecord(RecordBody):
    """A record about the subject, decided by `as_of`."""

    authority_id: str | None = None


class Credit(BaseModel):
    subject: SubjectRef
    as_of: dt.date
    records: list[CreditRecord] = Field(description="records about the subject decided by `as_of`, newest first")
    liabilities: list[LiabilityExplained] = Field(description="liabilities binding the subject on `as_of`, each "
                                                              "with its explanation")
    suspended: list[str] = Field(description="ids of the liabilities suspended by an objection on `as_of`")
    measures: list[MeasureInForce] = Field(description="measures in force (suspended ones left out), mandatory "
                                                       "first, each with the liabilities attaching it")
    restricted_actions: list[str] = Field(description="actions a measure in force restricts")
    favoured_actions: list[str] = Field(description="actions an incentive in force favours (and none restricts)")
    lost_incentives: list[LiabilityExplained] = Field(
        description="incentives of red records still in force on `as_of` that the subject lost, with the black "
                    "record and path that made it lose them (the loss is final)")
    associated_risk: AssociatedRisk


class ReachedSubject(BaseModel):
    subject: SubjectRef
    in_force: bool = Field(description="bound by at least one of the liabilities on `as_of`")
    liabilities: list[LiabilityExplained]


class RegionReached(BaseModel):
    code: str
    name: str | None = None
    level: str | None = None
    reason: str = Field(description="the first that applies of subject, bound_enterprise, liable_person_role, "
                                    "subsidiary, rollup")
    reasons: list[str]


class NotificationOut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    notification_id: str
    region_code: str
    status: str | None = None
    measures: list[str] = Field(default_factory=list, description="measure codes, mandatory first")
    in_reach: bool | None = Field(None, description="false once a recompute no longer reaches the region")
    created_at: dt.datetime | None = None


class RecordDetail(RecordFields):
    suspended_on: dt.date | None = Field(None, description="notice day of an objection under verification")


class RecordReach(BaseModel):
    record: RecordDetail
    as_of: dt.date
    reaches: list[ReachedSubject] = Field(description="everyone the record binds, in any window, each liability "
                                                      "with `in_force` on `as_of` and its explanation")
    regions: list[RegionReached] = Field(description="regions the record reaches, with the reasons")
    notifications: list[NotificationOut] = Field(description="one per reached region, for its implementing "
                                                             "departments")
    releases: list[ReleaseOut] = Field(default_factory=list, description="persons released individually")
    associated_risk: AssociatedRisk


class ReleaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "person_id": "432821196510021173", "on": "2026-06-01",
        "reason": "法定代表人因正常经营原因变更，经法院审查解除限制消费措施"}]})

    person_id: Id = Field(description="the former holder to release")
    id_type: Literal["resident_id", "passport", "other"] = Field("resident_id", description="how `person_id` is "
                                                                                           "checked")
    on: IsoDate = Field(description="first day the person is no longer bound")
    reason: Text = Field(min_length=1, description="why (kept with the release)")


class ReleaseOut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    record_id: str
    person: PersonRef
    on: dt.date
    reason: str | None = None
    by: str | None = Field(None, description="API key id of the releasing department")
    at: dt.datetime | None = None


class ReleaseResult(BaseModel):
    release: ReleaseOut
    liabilities: list[LiabilityExplained] = Field(description="the person's liabilities from the record, as "
                                                              "recomputed (windows cut at `on`)")


class RuleOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    name_zh: str
    description: str
    trigger: dict[str, Any]
    reach: dict[str, Any]
    anchor: str
    measures: list[str]
    legal_basis: str
    releasable: bool
    retain_decision_holders: bool = Field(False, description="a holder in office on the record's decision date "
                                                             "stays bound until released or the record ends, "
                                                             "whatever the registry says afterwards")
    lost_when: dict[str, Any] | None = None


class ActionOut(BaseModel):
    code: str
    name_zh: str
    name_en: str


class Rules(BaseModel):
    rules: list[RuleOut]


class Measures(BaseModel):
    measures: list[MeasureOut]


class Actions(BaseModel):
    actions: list[ActionOut]


RecordReach.model_rebuild()
