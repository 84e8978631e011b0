"""GET /v1/persons/{person_id}."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from graph_service.api.models.common import EnterpriseRef, Period, Provenance, RecordOut, Region


class RoleOfPerson(Period):
    enterprise: EnterpriseRef
    role: str
    title: str | None = None
    provenance: Provenance


class HoldingOfPerson(Period):
    enterprise: EnterpriseRef
    ratio: float
    subscribed_capital: float | None = None
    provenance: Provenance


class PersonFacts(BaseModel):
    person_id: str
    id_type: str | None = Field(None, description="resident_id, passport or other")
    id_15: str | None = Field(None, description="the first-generation 15-digit citizen ID (GB 11643-1989) a bundle "
                                                "gave for this person, kept beside `person_id`, its 18-digit form; "
                                                "either form finds the person")
    name: str | None = None
    region_code: str | None = None
    region: Region | None = None
    masked: bool = False
    as_of: dt.date | None = Field(None, description="when given, only the roles and holdings held that day")
    roles: list[RoleOfPerson] = Field(description="roles held in enterprises, with dates")
    holdings: list[HoldingOfPerson] = Field(description="shareholdings, with dates")
    records: list[RecordOut] = Field(description="credit records about the person")
    named_responsible_in: list[RecordOut] = Field(
        description="records (usually about an enterprise) that name the person as directly responsible")
    merged_from: list[str] = Field(default_factory=list, description="person ids merged into this person by \"same\" "
                                   "judgements (POST /v1/resolutions): their facts are listed here, their reads "
                                   "redirect here")
    provenance: Provenance
    known_at: str | None = Field(None, description="the `known_at` asked, as read: the facts as the service knew "
                                                   "them then (docs/changes.md, \"known_at\")")
    known_seq: int | None = Field(None, description="the last change-log entry recorded by `known_at`")

    @classmethod
    def of(cls, row: dict[str, Any], as_of: dt.date | None) -> PersonFacts:
        p = row["person"]
        return cls(
            **{k: p.get(k) for k in ("person_id", "id_type", "id_15", "name", "region_code")},
            region=Region(**row["region"]) if row["region"] else None,
            as_of=as_of,
            roles=[RoleOfPerson(**r, provenance=Provenance.of(r)) for r in row["roles"]],
            holdings=[HoldingOfPerson(**h, provenance=Provenance.of(h)) for h in row["holdings"]],
            records=[RecordOut.of(r) for r in row["records"]],
            named_responsible_in=[RecordOut.of(r) for r in row["named_responsible_in"]],
            merged_from=row.get("merged_from") or [],
            provenance=Provenance.of(p),
        )
