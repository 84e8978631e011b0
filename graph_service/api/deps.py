"""Dependencies of the routers: the graph (graph_service.runner.Graph) and the caller.

Routers never touch the driver nor a statement: they hand the `Graph` to the services, which run
the statements of cypher/ through it with the timeout of NEO4J_READ_TIMEOUT_S. Who calls is a
`Caller` (role and region scope) resolved from the API key; `require_role` turns a role list into
a dependency that answers 401/403.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import unquote

from fastapi import Depends, Header, Request, Security
from fastapi.security import APIKeyHeader

from graph_service import audit_log
from graph_service.access import keys
from graph_service.access.caller import Caller
from graph_service.api.errors import ApiError
from graph_service.api.inputs import LIMITS
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

T = TypeVar("T")


# Dependencies are coroutines: FastAPI runs a plain `def` dependency in its thread pool, a thread
# hop per dependency and request that costs more than a whole clear check's Python.
async def get_graph(request: Request) -> Graph:
    return request.app.state.graph


async def get_settings(request: Request) -> ServiceSettings:
    return request.app.state.settings


# --- who calls -------------------------------------------------------------------------------

_api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, scheme_name="ApiKey",
    description="`cg_<key id>_<secret>`, made with `credit-graph keys create --role ROLE [--region CODE]`. "
                "`Authorization: ApiKey <key>` is accepted too.",
)


@dataclass
class _Cached:
    stored: keys.StoredKey | None
    fetched: float


class KeyCache:
    """Verified keys kept for `api_key_cache_s`, so a request costs no extra Neo4j round trip."""

    def __init__(self, ttl_s: float):
        self.ttl_s = ttl_s
        self._entries: dict[str, _Cached] = {}

    async def get(self, graph: Graph, key_id: str) -> keys.StoredKey | None:
        hit = self._entries.get(key_id)
        now = time.monotonic()
        if hit and now - hit.fetched < self.ttl_s:
            return hit.stored
        stored = await keys.stored(graph, key_id)
        self._entries[key_id] = _Cached(stored, now)
        return stored


def _presented_key(request: Request, x_api_key: str | None) -> str | None:
    if x_api_key:
        return x_api_key.strip()
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "apikey" and value.strip():
        return value.strip()
    return None


_UNAUTHORIZED = {"WWW-Authenticate": "ApiKey"}


async def current_caller(request: Request, x_api_key: str | None = Security(_api_key_header)) -> Caller:
    settings: ServiceSettings = request.app.state.settings
    presented = _presented_key(request, x_api_key)
    if presented is None:
        if not settings.api_keys_required:
            # Local try-outs only (CREDIT_GRAPH_API_KEYS_REQUIRED=false): an anonymous caller is admin.
            return Caller(key_id=None, role="admin")
        raise ApiError(401, "unauthorized", "no API key: send it in the X-API-Key header", "X-API-Key",
                       _UNAUTHORIZED)
    parsed = keys.parse(presented)
    if parsed is None:
        raise ApiError(401, "unauthorized", "malformed API key: expected cg_<key id>_<secret>", "X-API-Key",
                       _UNAUTHORIZED)
    key_id, secret = parsed
    stored = await request.app.state.key_cache.get(request.app.state.graph, key_id)
    if stored is None or stored.revoked or not keys.secret_matches(secret, stored.hash):
        raise ApiError(401, "unauthorized", "unknown or revoked API key", "X-API-Key", _UNAUTHORIZED)
    return Caller(key_id=stored.key_id, role=stored.role, region_code=stored.region_code)


def require_role(*roles: str):
    """A dependency giving the `Caller`, answering 403 when the key's role is not among `roles`."""
    unknown = set(roles) - set(keys.ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")

    async def dependency(caller: Caller = Depends(current_caller)) -> Caller:
        if caller.role not in roles:
            raise ApiError(403, "forbidden", f"role {caller.role} may not use this endpoint "
                                             f"(allowed: {', '.join(roles)})")
        return caller

    return dependency


# --- person-level reads ----------------------------------------------------------------------

async def purpose_header(
    x_purpose: str | None = Header(None, alias="X-Purpose", max_length=LIMITS.max_purpose_length, description=(
        "Why the caller reads person-level data (case number, inspection...). Required from investigators "
        "on person-level reads; written to the audit log with the read. Header values are ASCII: send "
        "Chinese text percent-encoded as UTF-8 (raw UTF-8 bytes are accepted too); at most "
        "CREDIT_GRAPH_MAX_PURPOSE_LENGTH characters as sent."),
        examples=["%E6%A1%88%E4%BB%B6%20%E9%83%B4%E5%BB%BA%E7%BD%9A%E3%80%942023%E3%80%9512%E5%8F%B7"]),
) -> str | None:
    if x_purpose is None:
        return None
    text = x_purpose
    try:
        # Starlette decodes header bytes as latin-1; raw UTF-8 bytes come back through this.
        text = text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        pass
    text = unquote(text).strip()
    return text or None


def check_purpose(caller: Caller, purpose: str | None) -> None:
    if caller.role == "investigator" and purpose is None:
        raise ApiError(422, "purpose_required",
                       "investigators must state the purpose of a person-level read in the X-Purpose header",
                       "X-Purpose")


async def audit_person_read(graph: Graph, caller: Caller, purpose: str | None, endpoint: str,
                            subject_kind: str, subject_id: str, as_of: dt.date | None = None) -> None:
    """Record a person-level read. Investigators must state a purpose (422 otherwise).

    Written before the answer is returned, so no person-level data leaves without its audit entry.
    """
    check_purpose(caller, purpose)
    await audit_log.record_read(graph, caller.key_id, caller.role, purpose, endpoint, subject_kind, subject_id,
                                as_of)


async def audit_person_reads(graph: Graph, caller: Caller, purpose: str | None, endpoint: str,
                             person_ids: Iterable[str], as_of: dt.date | None = None) -> None:
    """`audit_person_read` for an answer naming several persons (a list page): one entry each."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    check_purpose(caller, purpose)
    await audit_log.record_reads(graph, caller.key_id, caller.role, purpose, endpoint, ids, as_of)
