"""The opaque `cursor` of paginated answers: a page's state as URL-safe base64 of compact JSON.

One encoding for every paginated read (the API's lists, the audit log) so a cursor looks and fails
the same everywhere; what the state holds is each reader's business.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from graph_service.errors import ServiceError


class InvalidCursor(ServiceError, ValueError):
    status = 422
    code = "invalid_cursor"

    def __init__(self, field: str = "cursor"):
        super().__init__(f"{field}: not a cursor returned by a previous page", field=field)


def encode(state: dict[str, Any]) -> str:
    text = json.dumps(state, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode(cursor: str | None, field: str = "cursor") -> dict[str, Any] | None:
    """The state `encode` wrapped (None without a cursor); InvalidCursor naming `field` otherwise."""
    if cursor is None:
        return None
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        state = None
    if not isinstance(state, dict):
        raise InvalidCursor(field)
    return state
