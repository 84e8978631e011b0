"""GET /v1/analytics/groups and /cycles (method and costs: docs/ownership.md)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field


class RegionInfo(BaseModel):
    code: str
    name: str | None = None
    level: str | None = None


class GroupMember(BaseModel):
    uscc: str
    name: str | None = None
    blacklisted: bool


class Bridge(BaseModel):
    kind: Literal["person"]
    id: str
    name: str | None = None
    masked: bool = False
    pieces: list[int] = Field(description="the region's enterprises each piece keeps once the person is removed")


class Group(BaseModel):
    rank: int
    size: int = Field(description="the region's enterprises in the group")
    blacklisted: int = Field(description="members with a black record in force on `as_of`")
    members: list[GroupMember] = Field(description="blacklisted first")
    members_truncated: bool
    persons: int
    outside_holders: int = Field(description="enterprises registered elsewhere holding shares in members")
    shared_addresses: list[str]
    ties: dict[str, int] = Field(description="ties by kind: role, holding, address")
    bridges: list[Bridge] = Field(description="persons whose removal splits the group (articulation points)")


class HubAddress(BaseModel):
    address: str
    enterprises: int


class Groups(BaseModel):
    region: RegionInfo
    as_of: dt.date
    rank_by: Literal["size", "blacklisted"]
    groups: list[Group]
    group_count: int
    enterprises: int = Field(description="the region's enterprises read")
    enterprises_truncated: bool = Field(description="more than CREDIT_GRAPH_GROUPS_MAX_ENTERPRISES: groups may be split")
    hub_addresses: list[HubAddress] = Field(description="addresses shared by too many enterprises to tie them")
    next_cursor: str | None = None


class CycleMember(BaseModel):
    uscc: str
    name: str | None = None
    masked: bool = Field(False, description="registered outside the key's region: uscc and name masked")
    in_region: bool
    self_holding_ratio: float | None = Field(description="its circular holding of itself (all walks back to it)")


class CycleHolding(BaseModel):
    holder: str
    held: str
    ratio: float


class Cycle(BaseModel):
    members: list[str]
    ratios: list[float]
    product: float


class CycleComponent(BaseModel):
    size: int
    members: list[CycleMember]
    holdings: list[CycleHolding]
    cycles: list[Cycle]
    cycles_truncated: bool


class Cycles(BaseModel):
    region: RegionInfo
    as_of: dt.date
    components: list[CycleComponent] = Field(description="strongly connected sets of enterprises holding one another, "
                                                         "largest first")
    component_count: int
    enterprises: int
    holdings: int
    enterprises_truncated: bool
    outside_truncated: bool = Field(False, description="more than CREDIT_GRAPH_CYCLES_MAX_OUTSIDE enterprises "
                                                    "registered elsewhere were met on the ways out of the region and "
                                                    "back: a cycle leaving it for several of them may be missed")
