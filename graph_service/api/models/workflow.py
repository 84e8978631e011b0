"""Answers of the workflow routes (records, objections, repair, notifications, lists, statistics).

Most carry what graph_service.workflow answers, as it answers it: their models name the fields the
routers add and let the workflow's own pass through unchanged (`extra="allow"`), in their order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from graph_service.domain.vocabulary import SubjectKind


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class RecordInitiated(BaseModel):
    record: dict[str, Any] = Field(description="the record as stored")
    notifications: list[Any] = Field(description="one per reached region, with its measures, mandatory first")


class Objection(_Open):
    """An objection: its id, record, notice day, due day, who filed it, why, and its status."""


class ObjectionResolved(_Open):
    """The objection resolved, then `record_id`, `record_status`, `record_ended_on` and `corrections`."""


class OverdueObjections(BaseModel):
    as_of: dt.date
    region: str | None
    total: int
    items: list[dict[str, Any]] = Field(description="each objection with its deciding `authority_id`")


class RepairDecision(_Open):
    """`record_id`, the decision (accepted or refused, the reasons, the first day it could be) and
    `refusal_reasons` in words."""


class RecordHistory(BaseModel):
    record_id: str
    status: str
    ended_on: dt.date | None
    suspended_on: dt.date | None
    event_seq: int
    objections: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    corrections: Any
    repair: Any
    events: list[dict[str, Any]]


class NotificationQueue(BaseModel):
    region: str
    as_of: dt.date
    total: int
    offset: int
    limit: int
    items: list[Any]


class NotificationAnswer(_Open):
    """The notification after the answer: acknowledged, applied or not, restored."""


class ListPage(BaseModel):
    kind: str
    as_of: dt.date
    region: str | None
    by: str
    category: str | None
    total: int
    offset: int
    limit: int
    items: list[Any]


class GreenChannel(_Open):
    """`subject_id`, `subject_kind`, `as_of`, then the eligibility and its explanation (as a check of
    `green_channel` gives it)."""

    subject_id: str
    subject_kind: SubjectKind
    as_of: dt.date


class Stats(_Open):
    """Records, notifications, objections and repairs counted over the period."""


class Publication(_Open):
    """The period and region, then the counts by authority and the flagged records."""

    from_: dt.date = Field(alias="from")
    to: dt.date
    region: str | None
