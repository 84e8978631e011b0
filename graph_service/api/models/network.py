"""GET /v1/subjects/{id}/network and GET /v1/paths."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from graph_service.domain.vocabulary import PathRelation, Relation, SubjectKind


class NodeFlags(BaseModel):
    """Liability and risk flags on the day asked (`as_of`)."""

    blacklisted: bool = Field(description="a black record concerning the subject is in force")
    red_listed: bool = Field(description="a red record concerning the subject is in force")
    penalised: bool = Field(description="a penalty record concerning the subject is in force")
    records_in_force: list[str] = Field(description="ids of the records concerning the subject in force that day")
    liabilities: int = Field(description="derived liabilities binding the subject that day")
    liable_records: list[str] = Field(description="the records those liabilities derive from")
    restricted: bool = Field(description="some liability carries a measure restricting actions")
    favoured: bool = Field(description="some liability carries an incentive")
    flagged: bool = Field(description="some liability carries a duty of the implementing departments (key supervision, "
                                      "personal credit record, a listed person serving in it)")
    restricted_actions: list[str] = Field(description="actions (actions.yaml) restricted that day")
    favoured_actions: list[str] = Field(description="actions favoured that day")
    measures: list[str] = Field(description="codes of the measures binding the subject that day")


class NetworkNode(BaseModel):
    key: str = Field(description="the node's key in this answer, referred to by edges: `enterprise:<uscc>`, "
                                 "`person:<id>`")
    kind: SubjectKind
    id: str
    name: str | None = None
    masked: bool = Field(False, description="id and name masked for the caller's role")
    region_code: str | None = None
    depth: int = Field(description="fewest hops from the subject asked about, along the relations read")
    flags: NodeFlags | None = Field(None, description="null for persons when the caller's role sees no person data")
    more: dict[str, int] = Field(default_factory=dict,
                                 description="per relation, links of this node not read (page or fan-out cap)")
    truncated: Literal["depth", "nodes", "fanout"] | None = Field(
        None, description="why some links of this node were not followed: the depth asked, the node cap, the fan-out "
                          "cap")


class NetworkEdge(BaseModel):
    id: str = Field(description="`<TYPE>|<key>`, stable across pages")
    type: Literal["HOLDS_ROLE", "HOLDS_SHARES", "NAMES_RESPONSIBLE"]
    relation: Relation
    source: str = Field(description="node key of the person in the role, the holder, or the person named")
    target: str = Field(description="node key of the enterprise")
    role: str | None = None
    title: str | None = None
    ratio: float | None = Field(None, description="direct share of the capital (HOLDS_SHARES)")
    subscribed_capital: float | None = None
    record_id: str | None = Field(None, description="the record naming the person responsible (NAMES_RESPONSIBLE)")
    record_kind: str | None = None
    start_on: dt.date | None = Field(None, description="first day (null: since before anything known); a record's "
                                                       "decision day")
    end_on: dt.date | None = Field(None, description="first day no longer held (half-open; null: still held)")
    current: bool = Field(description="held (in force) on `as_of`")


class Network(BaseModel):
    subject: str = Field(description="node key of the subject asked about")
    as_of: dt.date
    depth: int
    relations: list[Relation]
    history: bool
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    truncated: bool = Field(description="some links were left out (see each node's `more` and `truncated`)")
    next_cursor: str | None = Field(None, description="pass as `cursor` for the next page of the subject's own links; "
                                                        "null on the last page")


class PathHop(BaseModel):
    source: str
    target: str
    edges: list[NetworkEdge] = Field(description="every relation between the two consecutive nodes (a person may be "
                                                 "legal representative and shareholder at once)")


class Path(BaseModel):
    length: int
    nodes: list[str] = Field(description="node keys from `from` to `to`")
    hops: list[PathHop]


class Paths(BaseModel):
    source: str = Field(alias="from", description="node key of `from`")
    target: str = Field(alias="to", description="node key of `to`")
    as_of: dt.date
    max_depth: int
    relations: list[PathRelation]
    history: bool
    nodes: list[NetworkNode]
    paths: list[Path] = Field(description="shortest first; distinct node sequences")

    model_config = {"populate_by_name": True}
