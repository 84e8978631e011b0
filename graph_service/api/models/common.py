"""Pieces shared by several answers: references to subjects, regions, records and provenance."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from graph_service.domain.vocabulary import SubjectKind


class Provenance(BaseModel):
    """Which load wrote the fact, from which file and physical line (header = line 1), and when."""

    load: str | None = Field(None, description="the Load id, or `api:<key id>` for facts written through the API")
    file: str | None = None
    line: int | None = None
    at: dt.datetime | None = None

    @classmethod
    def of(cls, props: dict[str, Any]) -> Provenance:
        return cls(load=props.get("src_load"), file=props.get("src_file"), line=props.get("src_line"),
                   at=props.get("src_at"))


class RegionRef(BaseModel):
    code: str
    name: str | None = None
    level: str | None = Field(None, description="province, city, county or aggregate")
    retired: bool | None = Field(None, description="a GB/T 2260 code no longer in use (old ids still carry it)")


class Region(RegionRef):
    ancestors: list[RegionRef] = Field(default_factory=list, description="county → city → province, nearest first")

    def codes(self) -> list[str]:
        return [self.code, *(a.code for a in self.ancestors)]


class PersonRef(BaseModel):
    person_id: str
    name: str | None = None
    masked: bool = Field(False, description="true when id and name are masked for the caller's role")


class EnterpriseRef(BaseModel):
    uscc: str
    name: str | None = None


class SubjectRef(BaseModel):
    kind: SubjectKind
    id: str
    name: str | None = None
    masked: bool = False


class AuthorityRef(BaseModel):
    authority_id: str
    name: str | None = None
    region_code: str | None = None


class RecordBody(BaseModel):
    """What a credit record (records.csv) says, as stored, with whether it is in force on the day asked."""

    model_config = ConfigDict(extra="ignore")

    record_id: str
    kind: str = Field(description="black, red or penalty")
    category: str | None = None
    severity: str | None = None
    authority_region: str | None = None
    document_no: str | None = None
    misconduct_on: dt.date | None = None
    decided_on: dt.date | None = None
    published_on: dt.date | None = None
    valid_until: dt.date | None = None
    legal_basis: str | None = None
    status: str | None = Field(None, description="in_force, revoked or repaired")
    ended_on: dt.date | None = None
    in_force: bool = Field(description="in force on `as_of` (today when not given): decided_on <= d <= valid_until "
                                       "and d < ended_on")
    responsible: list[PersonRef] = Field(default_factory=list,
                                         description="the persons the decision names as directly responsible")


class RecordFields(RecordBody):
    """A credit record with its subject and authority."""

    subject: SubjectRef
    reported_subject_id: str | None = Field(None, description="the subject id the department reported, when a "
                                                              "\"same\" judgement merged it into `subject` "
                                                              "(POST /v1/resolutions)")
    authority: AuthorityRef | None = None


class RecordOut(RecordFields):
    """A credit record with the provenance of its row."""

    provenance: Provenance

    @classmethod
    def of(cls, props: dict[str, Any]) -> RecordOut:
        return cls(**props, provenance=Provenance.of(props))


class Period(BaseModel):
    start_on: dt.date | None = Field(None, description="first day held; null = since before anything known")
    end_on: dt.date | None = Field(None, description="the registry's change date: the first day no longer held, on "
                                                     "which a "
                                                           "successor may start (half-open); null = still held")
