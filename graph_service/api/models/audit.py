"""GET /v1/audit: the audit log of person-level reads."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

EXAMPLE_ENTRY: JsonDict = {
    "audit_id": "4f1c2a7e-93b5-4d0e-a8f1-0c6d2b7e9a10", "at": "2026-11-26T09:14:03.512000+00:00",
    "key_id": "6a0f3c9e2b1d4e57", "role": "investigator", "purpose": "案件 郴建罚〔2023〕12号 调查",
    "endpoint": "GET /v1/persons/{person_id}", "subject_kind": "person", "subject_id": "432801196804121350",
    "as_of": None,
}


class AuditEntry(BaseModel):
    audit_id: str
    at: dt.datetime = Field(description="when the read was answered (the entry is written before the answer leaves)")
    key_id: str | None = Field(None, description="the API key that read (null: a keyless local try-out)")
    role: str
    purpose: str | None = Field(None, description="the caller's `X-Purpose` (required from investigators)")
    endpoint: str = Field(description="method and path template of the read, e.g. `GET /v1/persons/{person_id}`")
    subject_kind: str = Field(description="what was asked about: `person`, or an `enterprise` or `record` whose "
                                          "answer named persons")
    subject_id: str
    as_of: dt.date | None = Field(None, description="the day the read asked about, when it named one")


class AuditPage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "items": [EXAMPLE_ENTRY], "limit": 100, "next_cursor": None}]})

    items: list[AuditEntry] = Field(description="newest first")
    limit: int
    next_cursor: str | None = Field(None, description="`cursor` of the next page; null on the last page")
