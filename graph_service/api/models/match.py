"""POST /v1/match and POST /v1/match/batch (answers: graph_service.search.match; docs/search.md, "Match")."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graph_service.api.demo_ids import DEMO
from graph_service.api.errors import ErrorDetail
from graph_service.api.inputs import LIMITS, MAX_ID, Id, IsoDate, Name, Text
from graph_service.domain.vocabulary import SubjectKind


class MatchProperties(BaseModel):
    """What the caller knows of the subject. An enterprise query takes `name`, `uscc`, `region_code`,
    `legal_representative`, `address`; a person query `name`, `person_id`, `birth_date`, `gender`,
    `region_code`. `name` or the id finds the candidates; the others weigh them."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = Field(None, description="as written anywhere: width, brackets, spaces, middle dots, "
                                                "traditional characters, organisation form and a leading region "
                                                "do not matter; a person's name may be given in pinyin")
    uscc: Id | None = Field(None, description="an enterprise's USCC; one with a typing error still counts as "
                                              "evidence")
    person_id: Id | None = Field(None, description="a person's id; a 15-digit citizen id is read as its 18-digit form")
    birth_date: IsoDate | None = Field(None, description="compared with the birth date the candidate's citizen id "
                                                         "encodes")
    gender: Literal["male", "female"] | None = Field(None, description="compared with the one the citizen id encodes")
    region_code: Id | None = Field(None, description="GB/T 2260 code of a county, city or province")
    legal_representative: Name | None = Field(None, description="the name of the enterprise's legal representative "
                                                                "(or an individual business's operator) today")
    address: Text | None = Field(None, description="registered address")


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"kind": "enterprise", "properties": {"name": "恒基建材（郴州）有限公司", "region_code": DEMO["CITY"],
                                              "legal_representative": "陈志强"}}]})

    kind: SubjectKind = Field(description="`enterprise` or `person`")
    properties: MatchProperties
    threshold: float | None = Field(None, description="the least score of `match: true`, 0 to 1 (default "
                                                      f"CREDIT_GRAPH_MATCH_THRESHOLD, {LIMITS.match_threshold})")
    limit: int | None = Field(None, description=f"candidates answered, 1 to CREDIT_GRAPH_MATCH_MAX_LIMIT "
                                                f"({LIMITS.match_max_limit}); default CREDIT_GRAPH_MATCH_LIMIT "
                                                f"({LIMITS.match_limit})")


class MatchSubject(BaseModel):
    kind: SubjectKind
    id: str = Field(description="USCC or person id (masked for the public role and, for persons registered "
                                "outside it, for a region-scoped key)")
    name: str | None = None
    region_code: str | None = None
    status: str | None = Field(None, description="an enterprise's registry status")
    in_scope: bool = Field(description="registered in the key's region or below (always true for a key without one)")
    masked: bool = False


class Candidate(BaseModel):
    subject: MatchSubject
    score: float = Field(description="in [0, 1]: 1 for the id itself, else the formula of docs/search.md")
    match: bool = Field(description="score at or above the threshold")
    features: dict[str, float] = Field(description="similarity in [0, 1] of each feature compared: `id`, `name`, "
                                                   "`birth_date`, `gender`, `region`, `legal_representative`, "
                                                   "`address`")
    contributions: dict[str, float] = Field(description="what each feature added to (or took from) the score")
    explanation: str = Field(description="each feature's similarity, contribution and reason")


class QueryRead(BaseModel):
    name: str | None = None
    folded: str | None = Field(None, description="the name folded (width, brackets, spaces, dots, traditional)")
    core: str | None = Field(None, description="an enterprise name without organisation form and region")
    pinyin: list[str] | None = Field(None, description="a person's name in pinyin (each reading)")
    id: str | None = None
    features: list[str] = Field(description="the features the query gives")


class MatchResult(BaseModel):
    kind: SubjectKind
    threshold: float
    limit: int
    compared: int = Field(description="candidates read and scored")
    matches: int = Field(description="candidates answered with `match: true`")
    query: QueryRead
    candidates: list[Candidate] = Field(description="best first, at most `limit`")


class MatchBatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"queries": {
        "c1": {"kind": "enterprise", "properties": {"name": "郴州市恒基建材有限公司", "legal_representative": "陈志强"}},
        "c2": {"kind": "person", "properties": {"name": "王海涛", "birth_date": "1986-06-18"}},
        "c3": {"kind": "person", "properties": {"name": "Wang Haitao", "region_code": "431003"}, "threshold": 0.9}}}]})

    queries: dict[Id, MatchRequest] = Field(
        description=f"up to CREDIT_GRAPH_MATCH_BATCH_MAX_ITEMS ({LIMITS.match_batch_max_items:,}) queries keyed by the "
                    f"caller's own ids (1 to {MAX_ID} characters each; a key given twice is refused with 422 naming it)")


class MatchBatchItem(BaseModel):
    status: int = Field(description="what the single match would have answered: 200, 403 or 422")
    result: MatchResult | None = None
    error: ErrorDetail | None = None


class MatchBatchResponse(BaseModel):
    responses: dict[str, MatchBatchItem] = Field(description="one per key of `queries`")
    counts: dict[str, int] = Field(description="keys with a match (`match`), without (`no_match`), and `error`")
