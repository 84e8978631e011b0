"""Ownership, control and related-party analytics over subgraphs read out of Neo4j (issue 4, items 3, 7).

The modules split reading from computing: `subgraph` reads (async, one `tx` from the caller's
read transaction, so the caller's transaction timeout bounds every read); `ownership`, `control`,
`groups` and `cycles` compute on plain Python structures and are unit-tested without Neo4j.
Method and costs: docs/ownership.md.
"""

from __future__ import annotations

from graph_service.errors import ServiceError


class NotFound(ServiceError, LookupError):
    """The subject a request names is not in the graph (the API answers 404)."""

    status, code = 404, "not_found"

    def __init__(self, kind: str, field: str, value: str):
        super().__init__(f"no {kind} with {field} {value}")
        self.kind, self.field, self.value = kind, field, value


class InvalidParameter(ServiceError, ValueError):
    """A parameter outside its range (the API answers 422 naming `field`)."""

    status, code = 422, "invalid_request"

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason
