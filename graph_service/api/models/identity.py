"""GET /v1/analytics/duplicates and /v1/resolutions (one identity per subject; docs/search.md, "Identity")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graph_service.api.demo_ids import DEMO
from graph_service.api.inputs import Id, Text
from graph_service.api.models.analytics import RegionInfo
from graph_service.domain.vocabulary import SubjectKind

# The demo's duplicate pair the examples name (tests/test_identity.py builds it beside the demo bundle).
_P01_TWIN = "432801196804121377"


class DuplicateReason(BaseModel):
    feature: str = Field(description="same_name_and_birth_date, same_sex, different_sex, same_address_code, "
                                     "id_near, shared_enterprise (persons); same_name_and_address, "
                                     "shared_legal_representative, shared_person, same_established_on, "
                                     "same_region, uscc_near (enterprises)")
    weight: float = Field(description="what the feature adds to the score (negative: evidence of two subjects)")
    detail: str


class DuplicateSubject(BaseModel):
    id: str
    name: str | None = None
    region_code: str | None = None
    birth_date: dt.date | None = Field(None, description="persons: the birth date the citizen ID carries")
    id_15: str | None = Field(None, description="persons: the first-generation 15-digit form a bundle gave")
    address: str | None = Field(None, description="enterprises: the registered address")
    established_on: dt.date | None = None
    status: str | None = None


class DuplicatePair(BaseModel):
    kind: SubjectKind
    score: float = Field(ge=0, le=1, description="the sum of the reasons' weights, held to [0, 1]")
    subjects: list[DuplicateSubject] = Field(description="the two subjects, in id order")
    reasons: list[DuplicateReason] = Field(description="the features behind the score, the first being the pair's "
                                                       "reason to be here")


class Duplicates(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "region": {"code": "431000", "name": "郴州市", "level": "city"},
        "pairs": [{"kind": "person", "score": 0.85, "subjects": [
            {"id": DEMO["P01"], "name": "刘建国", "region_code": "431002", "birth_date": "1968-04-12"},
            {"id": _P01_TWIN, "name": "刘建国", "region_code": "431002", "birth_date": "1968-04-12"}],
            "reasons": [
                {"feature": "same_name_and_birth_date", "weight": 0.5,
                 "detail": "both named 刘建国, born 1968-04-12 (positions 7-14 of the citizen ID)"},
                {"feature": "same_sex", "weight": 0.1, "detail": "both male (position 17)"},
                {"feature": "same_address_code", "weight": 0.1, "detail": "the same address code 432801 (positions 1-6)"},
                {"feature": "id_near", "weight": 0.15,
                 "detail": "the ids differ in 1 of the first 17 digits (a typing error?)"}]}],
        "pair_count": 1, "truncated": False, "next_cursor": None}]})

    region: RegionInfo
    pairs: list[DuplicatePair] = Field(description="best score first")
    pair_count: int = Field(description="pairs found in all pages")
    truncated: bool = Field(description="more candidates than CREDIT_GRAPH_DUPLICATES_MAX_GROUPS groups or "
                                        "CREDIT_GRAPH_DUPLICATES_MAX_PAIRS pairs: some are not listed")
    next_cursor: str | None = None


class ResolutionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"subject_ids": [DEMO["P01"], _P01_TWIN], "judgement": "same",
         "reason": "户籍核查：同一人，432801196804121377 为录入错误（郴州市公安局北湖分局 2026-11-20 复函）"}]})

    subject_ids: list[Id] = Field(min_length=2, max_length=2, description="the two subjects judged: USCCs, or "
                                  "person ids (a first-generation 15-digit citizen ID is read as its 18-digit form)")
    judgement: Literal["same", "different"] = Field(description="`same`: one subject, merged into the canonical one; "
                                                                "`different`: two subjects, off the duplicates list")
    reason: Text = Field(min_length=1, description="why: the evidence the judgement rests on (kept with it)")


class UndoIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"reason": "复函撤回：两人身份另行核实"}]})

    reason: Text | None = Field(None, description="why the judgement is undone (kept with it)")


class Resolution(BaseModel):
    resolution_id: str
    judgement: Literal["same", "different"]
    subject_kind: SubjectKind
    subject_ids: list[str] = Field(description="the ids as judged")
    canonical_id: str | None = Field(None, description="`same`: the subject that stays (the older: docs/search.md)")
    merged_id: str | None = Field(None, description="`same`: the subject merged into it; reads of its id answer "
                                                    "308 with the canonical one's URL")
    reason: str
    by: str | None = Field(None, description="the API key id that judged")
    role: str | None = None
    at: dt.datetime
    status: Literal["active", "undone"]
    record_ids: list[str] = Field(default_factory=list, description="`same`: the records whose liabilities and reach "
                                                                    "were recomputed")
    notifications_created: list[str] = Field(default_factory=list, description="`same`: notifications the recompute "
                                                                                "created (removed by an undo while "
                                                                                "still pending)")
    undone_at: dt.datetime | None = None
    undone_by: str | None = None
    undo_reason: str | None = None
    notifications_dropped: int | None = Field(None, description="in an undo's answer: the merge's notifications "
                                                                "removed")


class ResolutionPage(BaseModel):
    items: list[Resolution] = Field(description="newest first")
    next_cursor: str | None = None
