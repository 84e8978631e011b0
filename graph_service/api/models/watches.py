"""POST /v1/watches and what follows: watches, their alerts and webhook deliveries (docs/changes.md)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

EXAMPLE_WATCH: JsonDict = {
    "watch_id": "w-3f9a1c2e7b5d4e60", "name": "恒基建材及其关联方", "owner": "6a0f3c9e2b1d4e57",
    "subjects": ["91431002MA4L2HJ36R"], "depth": 2, "regions": [], "actions": ["public_procurement_bid"],
    "since_seq": 4215, "status": "active", "created_at": "2026-12-06T09:14:03.512Z",
    "webhook": {"url": "https://example.gov.cn/hooks/credit", "enabled": True, "failures": 0,
                "secret": "9c1f…(64 hex characters, shown once)"},
}
EXAMPLE_ALERT: JsonDict = {
    "alert_id": "w-3f9a1c2e7b5d4e60:4300:91431002MA4L2HJ36R", "watch_id": "w-3f9a1c2e7b5d4e60", "set": 4300,
    "subject_id": "91431002MA4L2HJ36R", "path": ["91431002MA4L2HJ36R", "91431022MA4PK7R15E", "432822197909232117"],
    "links": ["shareholder 0.3", "legal_representative"], "change_seqs": [4300, 4301, 4302, 4303],
    "decisions": [{"seq": 4303, "subject_id": "432822197909232117", "action": "public_procurement_bid",
                   "before": {"decision": "clear", "measures": []},
                   "after": {"decision": "restricted", "measures": ["adm_public_resource_trading"]}}],
    "changes": [{"seq": 4300, "kind": "record.added", "key": "ID-2026-B0203",
                 "subjects": ["432822197909232117"], "before": None, "after": {"kind": "black"},
                 "path": ["91431002MA4L2HJ36R", "91431022MA4PK7R15E", "432822197909232117"],
                 "links": ["shareholder 0.3", "legal_representative"]}],
    "delivery": "delivered", "attempts": 1, "created_at": "2026-12-06T09:14:03.902Z",
}


class WatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "恒基建材及其关联方", "subjects": ["91431002MA4L2HJ36R"], "depth": 2,
        "actions": ["public_procurement_bid"], "webhook_url": "https://example.gov.cn/hooks/credit"}]})

    subjects: list[str] = Field(default_factory=list, max_length=1000,
                                description="USCCs and person ids to watch (at most CREDIT_GRAPH_WATCH_MAX_SUBJECTS)")
    depth: int = Field(0, description="also the subjects within this many role or holding links (0-2) in force today")
    regions: list[str] = Field(default_factory=list, max_length=1000,
                               description="region codes: every change in them (at most CREDIT_GRAPH_WATCH_MAX_REGIONS)")
    actions: list[str] | None = Field(None, description="alert only on decisions for these actions (null: any change)")
    name: str | None = Field(None, max_length=200)
    webhook_url: str | None = Field(None, max_length=2000, description="POST each alert here, signed (HMAC-SHA256)")


class Webhook(BaseModel):
    url: str
    enabled: bool
    failures: int = Field(description="alerts in a row that gave up; the webhook is disabled at "
                                      "CREDIT_GRAPH_WEBHOOK_MAX_FAILURES")
    secret: str | None = Field(None, description="the HMAC key of X-Credit-Graph-Signature: given once, when the "
                                                 "watch is made")


class Watch(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_WATCH]})

    watch_id: str
    name: str | None = None
    owner: str | None = Field(None, description="the API key that made it")
    subjects: list[str]
    depth: int
    regions: list[str]
    actions: list[str] | None = None
    since_seq: int = Field(description="alerts cover change sets after this sequence number")
    status: str = Field(description="active | deleted")
    created_at: str
    webhook: Webhook | None = None


class WatchList(BaseModel):
    items: list[Watch]


class Alert(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ALERT]})

    alert_id: str = Field(description="<watch>:<change set>:<subject>: one alert per subject per change set")
    watch_id: str
    set: int = Field(description="the change set it stands for (GET /v1/changes?since=set-1 reads it)")
    subject_id: str = Field(description="the watched subject (a region watch: the subject changed)")
    path: list[str] = Field(description="from the watched subject to the nearest subject that changed")
    links: list[str] = Field(description="the names of the links on the path")
    change_seqs: list[int] = Field(description="the sequence numbers of every entry it stands for")
    decisions: list[dict[str, Any]] = Field(description="decisions per action that changed: before and after, "
                                                        "with their measures")
    changes: list[dict[str, Any]] = Field(description="other changes (roles, holdings, records, objections…), "
                                                      "each with its path")
    delivery: str | None = Field(None, description="webhook delivery: none | pending | delivered | failed")
    attempts: int | None = None
    created_at: str


class AlertPage(BaseModel):
    items: list[Alert]
    limit: int
    next_cursor: str = Field(description="`cursor` of the next page: always given, as the feed's")


class Delivery(BaseModel):
    alert_id: str
    attempt: int
    outcome: str = Field(description="delivered | retry | failed")
    status_code: int | None = None
    error: str | None = None
    ms: int
    at: str


class DeliveryList(BaseModel):
    items: list[Delivery]
