"""GET /v1/changes and the histories: entries of the change log (docs/changes.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

KINDS_HELP = ("comma-separated kinds (`record.revoked`) or families (`record`, `liability`, `decision`…): "
              "docs/changes.md lists them")
EXAMPLE_CHANGE: JsonDict = {
    "seq": 4211, "set": 4209, "at": "2026-12-06T09:14:03.512Z", "kind": "role.ended",
    "key": "432801196804121350|91431000MA4L0XXXX1|legal_representative|2015-03-01",
    "subjects": ["91431000MA4L0XXXX1", "432801196804121350"], "regions": ["430000", "431000", "431002"],
    "actor": "load:3f9a1c2e7b", "department": "郴州市市场监督管理局",
    "before": {"end_on": None}, "after": {"end_on": "2026-11-30"},
}
EXAMPLE_DECISION: JsonDict = {
    "seq": 4215, "set": 4209, "at": "2026-12-06T09:14:03.512Z", "kind": "decision.changed",
    "key": "432801196804121350|public_procurement_bid", "subjects": ["432801196804121350"],
    "regions": ["430000", "431000", "431002"], "actor": "load:3f9a1c2e7b", "department": "郴州市市场监督管理局",
    "before": {"action": "public_procurement_bid", "decision": "clear", "measures": []},
    "after": {"action": "public_procurement_bid", "decision": "restricted", "measures": ["M04"]},
}


class Change(BaseModel):
    seq: int = Field(description="the entry's sequence number: increasing, in the order the changes committed")
    set: int = Field(description="the change set: the first sequence number of the transaction it came in; "
                                 "the entries of one write share it")
    at: dt.datetime = Field(description="when the service recorded it")
    kind: str = Field(description="what changed: `enterprise.changed`, `record.revoked`, `liability.started`, "
                                  "`decision.changed`… (docs/changes.md lists every kind)")
    key: str = Field(description="the fact changed: a USCC, a person id, a role's or holding's key, a record id, "
                                 "a liability id, `<subject>|<action>` for a decision")
    subjects: list[str] = Field(description="the enterprises and persons it is about")
    regions: list[str] = Field(description="the regions it is in (with their ancestors): the subjects' registration "
                                           "regions and the regions the change names (a record's authority, a "
                                           "former region)")
    actor: str = Field(description="who made it: `load:<load id>`, `api:<key id>`, `sweep` (time passing), `admin`; "
                                   "derived entries name the change that caused them")
    department: str | None = Field(None, description="the reporting department of the load")
    effective_on: dt.date | None = Field(None, description="the day a change made by time took effect (sweep entries)")
    before: dict[str, Any] | None = Field(None, description="the fields before (null: the fact is new)")
    after: dict[str, Any] | None = Field(None, description="the fields after (null: the fact ended)")


class ChangePage(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "items": [EXAMPLE_CHANGE, EXAMPLE_DECISION], "limit": 100, "last_seq": 4215,
        "next_cursor": "eyJhZnRlciI6NDIxNX0", "caught_up": True}]})

    items: list[Change] = Field(description="in sequence order")
    limit: int
    last_seq: int = Field(description="the sequence number the next page starts after (`since`)")
    next_cursor: str = Field(description="`cursor` of the next page: always given, so a reader that keeps it "
                                         "and asks again later never misses or repeats an entry")
    caught_up: bool = Field(description="true when no entry after `last_seq` exists yet")
