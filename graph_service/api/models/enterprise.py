"""GET /v1/enterprises/{uscc}."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from graph_service.api.models.common import (
    EnterpriseRef,
    Period,
    PersonRef,
    Provenance,
    RecordOut,
    Region,
    SubjectRef,
)


class RoleInEnterprise(Period):
    person: PersonRef
    role: str = Field(description="legal_representative, principal, director, supervisor, senior_executive, actual_controller "
                                  "or registered_practitioner")
    title: str | None = Field(None, description="the title as registered, e.g. 董事长")
    provenance: Provenance


class Shareholder(Period):
    holder: SubjectRef
    ratio: float = Field(description="direct share of the capital, 0 < ratio <= 1")
    subscribed_capital: float | None = Field(None, description="10,000 CNY")
    provenance: Provenance


class Holding(Period):
    enterprise: EnterpriseRef
    ratio: float
    subscribed_capital: float | None = None
    provenance: Provenance


class FormerName(BaseModel):
    """A name the enterprise was known by before a later load renamed it (docs/model.md)."""

    name: str
    since: dt.date = Field(description="the day the graph first recorded the name (the day of the load that "
                                       "wrote it; for an enterprise loaded before names were tracked, at the "
                                       "latest that day)")
    until: dt.date = Field(description="the day the load renaming the enterprise was written: the name was on "
                                       "record on [since, until)")


def former_names(e: dict[str, Any]) -> list[FormerName]:
    """The stored parallel lists `former_names`, `former_names_from`, `former_names_until` as one list."""
    return [FormerName(name=n, since=a, until=b) for n, a, b in
            zip(e.get("former_names") or [], e.get("former_names_from") or [], e.get("former_names_until") or [])]


class EnterpriseFacts(BaseModel):
    uscc: str
    name: str | None = None
    name_since: dt.date | None = Field(None, description="the day the graph first recorded the current name")
    former_names: list[FormerName] = Field(
        default_factory=list, description="earlier names, oldest first, each found by `GET /v1/search` too")
    kind: str | None = None
    status: str | None = None
    established_on: dt.date | None = None
    registered_capital: float | None = Field(None, description="10,000 CNY")
    industry: str | None = None
    address: str | None = None
    region_code: str | None = None
    region: Region | None = None
    as_of: dt.date | None = Field(None, description="when given, only the roles and holdings held that day")
    roles: list[RoleInEnterprise] = Field(description="persons holding roles in the enterprise, with dates")
    shareholders: list[Shareholder] = Field(description="who holds shares in the enterprise")
    holdings: list[Holding] = Field(description="the enterprises it holds shares in")
    records: list[RecordOut] = Field(description="credit records about the enterprise, newest decision first")
    merged_from: list[str] = Field(default_factory=list, description="USCCs merged into this enterprise by \"same\" "
                                   "judgements (POST /v1/resolutions): their facts are listed here, their reads "
                                   "redirect here")
    provenance: Provenance
    known_at: str | None = Field(None, description="the `known_at` asked, as read: the facts as the service knew "
                                                   "them then (docs/changes.md, \"known_at\")")
    known_seq: int | None = Field(None, description="the last change-log entry recorded by `known_at`")

    @classmethod
    def of(cls, row: dict[str, Any], as_of: dt.date | None) -> EnterpriseFacts:
        e = row["enterprise"]
        return cls(
            **{k: e.get(k) for k in ("uscc", "name", "name_since", "kind", "status", "established_on",
                                     "registered_capital", "industry", "address", "region_code")},
            former_names=former_names(e),
            region=Region(**row["region"]) if row["region"] else None,
            as_of=as_of,
            roles=[RoleInEnterprise(**r, provenance=Provenance.of(r)) for r in row["roles"]],
            shareholders=[Shareholder(**h, provenance=Provenance.of(h)) for h in row["shareholders"]],
            holdings=[Holding(**h, provenance=Provenance.of(h)) for h in row["holdings"]],
            records=[RecordOut.of(r) for r in row["records"]],
            merged_from=row.get("merged_from") or [],
            provenance=Provenance.of(e),
        )
