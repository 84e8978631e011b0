"""GET /v1/regions/{code}/links."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from graph_service.api.models.common import SubjectRef


class ReachedRegion(BaseModel):
    code: str
    name: str | None = None
    level: str | None = None
    reasons: list[str] = Field(description="why the record reaches it: subject, bound_enterprise, "
                                           "liable_person_role, subsidiary")


class LinkedRecord(BaseModel):
    record_id: str
    kind: str
    category: str | None = None
    severity: str | None = None
    authority_id: str | None = None
    authority_region: str | None = Field(None, description="region of the deciding authority")
    document_no: str | None = None
    decided_on: dt.date | None = None
    valid_until: dt.date | None = None
    status: str | None = None
    subject: SubjectRef
    regions: list[ReachedRegion] = Field(description="incoming: the regions of the subtree it reaches; outgoing: the "
                                                     "regions outside it reaches")


class RegionCount(BaseModel):
    code: str
    name: str | None = None
    level: str | None = None
    county: str | None = Field(None, description="the county-level region it is or lies in (null above county level)")
    records: int
    black: int


class RegionLinks(BaseModel):
    region: str
    name: str | None = None
    level: str | None = None
    as_of: dt.date
    incoming: list[LinkedRecord] = Field(description="records decided outside the region reaching subjects in it")
    outgoing: list[LinkedRecord] = Field(description="records decided in the region reaching subjects outside")
    incoming_counts: list[RegionCount] = Field(description="per region of the subtree reached: records decided elsewhere")
    outgoing_counts: list[RegionCount] = Field(description="per outside region reached: records of this region")
    next_cursor: str | None = Field(None, description="pass as `cursor` for the next page of either list")

