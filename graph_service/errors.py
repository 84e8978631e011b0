"""The one base of the errors a caller is answered with (issue 16 point 4).

Each class says its HTTP status, its stable code and, where it knows it, the request field at
fault; the message is ``str(exc)``. graph_service/api/errors.py turns any of them into the error
body, so no router translates exceptions itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ServiceError(Exception):
    """An error for the caller: `status`, `code`, `field` (None: no single field) and `headers`."""

    status: int = 500
    code: str = "internal_error"
    field: str | None = None
    headers: Mapping[str, str] | None = None

    def __init__(self, *args: Any, status: int | None = None, code: str | None = None, field: str | None = None,
                 headers: Mapping[str, str] | None = None):
        super().__init__(*args)
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        if field is not None:
            self.field = field
        if headers is not None:
            self.headers = headers


class Refused(ServiceError):
    """A refusal made on the spot, with its status, code, message and field."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 headers: Mapping[str, str] | None = None):
        super().__init__(message, status=status, code=code, field=field, headers=headers)
        self.message = message


def not_found(kind: str, field: str, value: str) -> Refused:
    return Refused(404, "not_found", f"no {kind} with {field} {value}", field)


class SubjectMerged(ServiceError):
    """A read of a subject that a "same" judgement merged into another (docs/search.md, Identity):
    answered `308 Permanent Redirect` with `Location` naming the canonical subject instead of the
    merged one in the request's path or query (graph_service/api/errors.py builds it)."""

    status, code = 308, "subject_merged"

    def __init__(self, kind: str, merged_id: str, canonical_id: str, field: str | None = None):
        super().__init__(f"{kind} {merged_id} was merged into {canonical_id} (one identity, POST /v1/resolutions): "
                         f"read {canonical_id} at the Location given")
        self.kind, self.merged_id, self.canonical_id = kind, merged_id, canonical_id
        self.field = field
