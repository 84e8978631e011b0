"""GET /v1/subjects/{id}/risk."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graph_service.api.models.common import RecordOut
from graph_service.api.models.network import NetworkEdge, NetworkNode


class LiabilityOut(BaseModel):
    """One derived liability (issue 3): why the subject is bound, by which rule, from which record."""

    model_config = ConfigDict(extra="ignore")

    liability_id: str
    rule_id: str
    record_id: str
    record_kind: str | None = None
    role: str | None = Field(None, description="the role that made the subject liable (`subject` for the record's "
                                               "own subject, `named_responsible` for a person the record names)")
    role_start: dt.date | None = None
    role_end: dt.date | None = None
    anchor: str | None = Field(None, description="the day the role had to be held: misconduct_date, decision_date, as_of")
    path: list[str] = Field(default_factory=list, description="record → subject → role → person")
    legal_basis: str | None = None
    measures: list[str] = Field(default_factory=list)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = Field(None, description="first day no longer bound (half-open)")


class RiskPath(BaseModel):
    nodes: list[str] = Field(description="node keys from the subject to the party")
    edges: list[NetworkEdge]


class RiskParty(BaseModel):
    node: NetworkNode
    reasons: list[Literal["black_record", "penalty_record", "liable"]] = Field(
        description="a black or a penalty record concerning it in force, or liabilities restricting it, on `as_of`")
    path: RiskPath = Field(description="a shortest path from the subject to the party")


class Risk(BaseModel):
    subject: NetworkNode
    as_of: dt.date
    depth: int
    records: list[RecordOut] = Field(description="records concerning the subject, newest decision first")
    liabilities: list[LiabilityOut] = Field(description="derived liabilities binding the subject on `as_of`")
    parties: list[RiskParty] = Field(description="blacklisted, penalised or liable parties within `depth`, nearest first")
    truncated: bool = Field(description="the walk stopped at CREDIT_GRAPH_RISK_MAX_NODES: farther parties may be missing")
    next_cursor: str | None = Field(None, description="pass as `cursor` for the next page of parties")
