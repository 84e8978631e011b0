"""GET /v1/enterprises/{uscc}/shareholders and /beneficial-owners (method: docs/ownership.md)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from graph_service.api.models.common import SubjectRef
from graph_service.domain.vocabulary import SubjectKind


class Holder(SubjectRef):
    """A holder or the enterprise held: an enterprise or a person, masked where the key may not see it."""


class TreeRoot(Holder):
    truncated: Literal["depth", "nodes"] | None = None


class TreeNode(Holder):
    depth: int = Field(description="fewest holding steps from the enterprise asked about")
    integrated_ratio: float | None = Field(
        description="up: the node's integrated share of the enterprise; down: the enterprise's integrated share of the "
                    "node. Sum over all holding walks of the products of the direct ratios (cycles included, solved "
                    "exactly); null when the walks run through a closed cycle")
    connector: bool = Field(description="below `min_ratio`, kept because it links a node above it to the root")
    truncated: Literal["depth", "nodes"] | None = Field(
        None, description="its holdings were not all read: `max_depth` or CREDIT_GRAPH_OWNERSHIP_MAX_NODES")


class TreeEdge(BaseModel):
    holder_kind: SubjectKind
    holder: str
    held: str
    ratio: float = Field(description="direct ratio on `as_of` (tranches of one holder added up)")
    in_cycle: bool


class ShareholderTree(BaseModel):
    root: TreeRoot
    direction: Literal["up", "down"]
    as_of: dt.date
    max_depth: int
    min_ratio: float
    nodes: list[TreeNode]
    edges: list[TreeEdge]
    self_holding_ratio: float | None = Field(description="the root's circular holding of itself (0 off cycles)")
    cycles: list[list[str]] = Field(description="strongly connected sets of enterprises holding one another")
    closed_cycles: list[list[str]] = Field(description="cycles holding all of one another: walk sums diverge")
    exact: bool = Field(description="every cycle solved in exact fractions (false: float64 past 60 members)")
    truncated: bool = Field(description="a cap cut the tree: the integrated ratios are lower bounds")


class OwnershipPath(BaseModel):
    nodes: list[Holder]
    ratios: list[float]
    product: float


class BeneficialOwner(Holder):
    integrated_ratio: float | None
    paths: list[OwnershipPath] = Field(description="heaviest simple holding paths first (their products add up to "
                                                   "at most the integrated ratio; the rest goes round cycles)")


class ControlCandidate(BeneficialOwner):
    basis: Literal["registered_role", "majority_control", "position"]
    role: str | None = None
    title: str | None = None
    voting_ratio: float | None = Field(None, description="majority control: the votes commanded in the enterprise")
    uncertain: bool | None = Field(None, description="majority control by an enterprise whose holders a cap cut")


class ActualController(BaseModel):
    basis: Literal["registered_role", "majority_control", "position"]
    controllers: list[ControlCandidate]


class EnterpriseName(BaseModel):
    uscc: str
    name: str | None = None


class BeneficialOwners(BaseModel):
    enterprise: EnterpriseName
    as_of: dt.date
    threshold: float
    beneficial_owners: list[BeneficialOwner]
    actual_controller: ActualController | None
    candidates: list[ControlCandidate] = Field(description="every basis found, so disagreements show")
    exact: bool
    closed_cycles: list[list[str]]
    truncated: bool
