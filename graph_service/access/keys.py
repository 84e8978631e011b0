"""API keys: made once, shown once, stored only as a salted hash (docs/model.md, `ApiKey`).

A key reads ``cg_<key_id>_<secret>``. The key id locates the `ApiKey` node; the secret is checked
against ``sha256(salt + secret)``. A slow password hash (scrypt) would buy nothing here: the secret
is 256 random bits, not a human password, and every request verifies it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

import neo4j

from graph_service.cypher import query
from graph_service.domain.vocabulary import KEY_ROLES
from graph_service.errors import ServiceError
from graph_service.runner import Graph

ROLES = KEY_ROLES
PREFIX = "cg"
_KEY = re.compile(r"^cg_([0-9a-f]{16})_([A-Za-z0-9_\-]{20,})$")
REGION_CODE = re.compile(r"^\d{6}$")


class KeyRequestError(ServiceError, ValueError):
    """A key request that cannot be honoured (unknown role, malformed region...)."""

    status, code = 422, "invalid_request"


@dataclass(frozen=True)
class StoredKey:
    key_id: str
    hash: str
    role: str
    region_code: str | None
    revoked: bool


def hash_secret(secret: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(16)
    digest = hashlib.sha256((salt + secret).encode()).hexdigest()
    return f"sha256${salt}${digest}"


def secret_matches(secret: str, stored_hash: str) -> bool:
    try:
        algo, salt, _ = stored_hash.split("$", 2)
    except ValueError:
        return False
    return algo == "sha256" and hmac.compare_digest(hash_secret(secret, salt), stored_hash)


def parse(key: str) -> tuple[str, str] | None:
    """(key_id, secret) of a well-formed key, else None."""
    m = _KEY.match(key.strip())
    return (m.group(1), m.group(2)) if m else None


def new_key() -> tuple[str, str, str]:
    """(key_id, full key, stored hash)."""
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return key_id, f"{PREFIX}_{key_id}_{secret}", hash_secret(secret)


def check_request(role: str, region_code: str | None) -> None:
    if role not in ROLES:
        raise KeyRequestError(f"unknown role {role!r}: expected one of {', '.join(ROLES)}")
    if region_code is not None and not REGION_CODE.match(region_code):
        raise KeyRequestError(f"region {region_code!r} is not a 6-digit GB/T 2260 code")
    if role == "department" and region_code is None:
        raise KeyRequestError("a department key needs --region: departments act for their region and its sub-regions")


def create(driver: neo4j.Driver, role: str, region_code: str | None = None, label: str | None = None,
           database: str | None = None) -> tuple[str, str]:
    """Store a new key and return (key_id, key). The key is not recoverable afterwards."""
    check_request(role, region_code)
    key_id, key, hashed = new_key()
    driver.execute_query(query("keys/create"), key_id=key_id, hash=hashed, role=role,
                         region_code=region_code, label=label, database_=database)
    return key_id, key


def revoke(driver: neo4j.Driver, key_id: str, database: str | None = None) -> bool:
    records = driver.execute_query(query("keys/revoke"), key_id=key_id, database_=database).records
    return bool(records)


def list_keys(driver: neo4j.Driver, database: str | None = None) -> list[dict]:
    return [r.data() for r in driver.execute_query(query("keys/list"), database_=database).records]


async def stored(graph: Graph, key_id: str) -> StoredKey | None:
    """The stored key of this id, for the API's key cache."""
    row = await graph.read_one("keys/get", key_id=key_id)
    return StoredKey(**row) if row else None


def region_known(driver: neo4j.Driver, code: str, database: str | None = None) -> str | None:
    """The region's name, or None when the graph has no such Region."""
    rec = driver.execute_query(query("keys/region_exists"), code=code, database_=database).records[0]
    return rec["name"] if rec["exists"] else None
