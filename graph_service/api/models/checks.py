"""POST /v1/checks and POST /v1/checks/batch (answers: graph_service.credit.check)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from graph_service.api.demo_ids import DEMO
from graph_service.api.errors import ErrorDetail
from graph_service.api.inputs import HELD_ON, MAX_ID, Id, IsoDate
from graph_service.domain.vocabulary import SubjectKind


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"subject_id": DEMO["P08"], "action": "flight", "as_of": "2026-11-26"}]})

    subject_id: Id = Field(description="a USCC or a person's identity document number (a first-generation 15-digit "
                                       "citizen ID is read as its 18-digit form)")
    action: Id = Field(description="an action of actions.yaml (GET /v1/actions), e.g. `public_procurement_bid`, "
                                   "`flight`, `green_channel`")
    as_of: IsoDate | None = Field(None, description="the day of the decision asked about (default today). " + HELD_ON)
    known_at: str | None = Field(None, max_length=40, description=(
        "answer as the service would have answered at this moment (recorded time; `as_of` is the valid time): an ISO "
        "date-time (no offset: China time, UTC+8), a day (its end), or `seq:<n>` (after change-log entry n). "
        "Values a later load corrected are answered as they were (docs/changes.md, \"known_at\")"))


class MeasureOut(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    code: str
    name_zh: str
    name_en: str
    type: str
    class_: str = Field(alias="class", serialization_alias="class")
    applies_to: list[str]
    effect: str
    actions: list[str]
    legal_basis: str


class RecordBrief(BaseModel):
    model_config = ConfigDict(extra="ignore")

    record_id: str
    kind: str | None = None
    category: str | None = None
    authority_id: str | None = None
    document_no: str | None = None
    decided_on: dt.date | None = None


class Basis(BaseModel):
    """Why: the liability behind the decision (应查必查): record, rule, role and its dates, path."""

    model_config = ConfigDict(extra="ignore")

    liability_id: str
    record_id: str
    rule_id: str
    role: str | None = None
    role_start: dt.date | None = None
    role_end: dt.date | None = None
    anchor: str | None = None
    anchor_on: dt.date | None = None
    path: list[str] = Field(default_factory=list)
    legal_basis: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    measures: list[str] = Field(default_factory=list)
    effect: Literal["restrict", "favour", "lost"]
    record: RecordBrief | None = None
    lost_on: dt.date | None = None
    lost_record_id: str | None = None
    lost_path: list[str] | None = None


class CheckResult(BaseModel):
    check_id: str = Field(description="the stored check (:Check), for feedback on the decision taken")
    subject_id: str = Field(description="the subject checked: the id asked, or the canonical subject it was merged "
                                        "into (then `merged_from` names the id asked)")
    merged_from: str | None = Field(None, description="the id asked, when a \"same\" judgement merged it into "
                                                      "`subject_id` (POST /v1/resolutions): the answer is the "
                                                      "canonical subject's")
    subject_kind: SubjectKind
    action: str
    as_of: dt.date
    decision: Literal["restricted", "favoured", "clear"]
    measures: list[MeasureOut] = Field(description="the measures behind the decision, mandatory first")
    basis: list[Basis]
    suspended: list[Basis] | None = Field(None, description="liabilities of records under objection: suspended")
    eligibility: dict[str, Any] | None = Field(
        None, description="for an action with a rule of eligibility (green_channel, deferred_documents: policy "
        "item 6), the rule's explanation, as GET /v1/lists/green-channel/{subject_id} gives it")
    note: str | None = None
    known_at: str | None = Field(None, description="the moment asked for (`known_at` of the request), as read")
    known_seq: int | None = Field(None, description="the last change-log entry recorded by `known_at`: the "
                                                    "answer is the one the service gave after that entry")


class StoredCheck(BaseModel):
    """GET /v1/checks/{check_id}: a stored check's answer and its replay at the number it was answered at."""

    check_id: str
    key_id: str | None = None
    role: str
    at: dt.datetime = Field(description="when it was answered")
    seq: int = Field(description="the change-log number it was answered at (the last entry recorded by then, or "
                                 "by its `known_at`)")
    known_at: str | None = Field(None, description="the `known_at` it was asked with")
    batch_id: str | None = None
    stored: dict[str, Any] = Field(description="the answer as it was given (persons masked for a public key)")
    replay: dict[str, Any] = Field(description="the answer rebuilt from the change log at `seq`, presented alike")
    identical: bool = Field(description="whether `replay` is `stored`, byte for byte in its compact JSON")


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"queries": {
        "q1": {"subject_id": DEMO["P08"], "action": "flight"},
        "q2": {"subject_id": DEMO["E05"], "action": "green_channel", "as_of": "2026-11-26"},
        "q3": {"subject_id": DEMO["E01"], "action": "public_procurement_bid"}}}]})

    queries: dict[Id, CheckRequest] = Field(
        description=f"up to CREDIT_GRAPH_BATCH_MAX_ITEMS (1,000) checks keyed by the caller's own ids (1 to {MAX_ID} "
                    "characters each; a key given twice is refused with 422 naming it)")


class BatchItem(BaseModel):
    status: int = Field(description="what the single check would have answered: 200, 403, 404 or 422")
    result: CheckResult | None = None
    error: ErrorDetail | None = None


class BatchResponse(BaseModel):
    batch_id: str
    responses: dict[str, BatchItem] = Field(description="one per key of `queries`")
    counts: dict[str, int] = Field(description="answers by decision, and `error`")
