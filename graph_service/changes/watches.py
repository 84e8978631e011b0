"""Watches (POST /v1/watches, `credit-graph watch`; docs/changes.md, Watches): subjects with a
neighbourhood of 0-2 role or holding links, and/or regions, optionally only some actions, and an
optional webhook. The alerter (graph_service.changes.alerter) turns the change log into their
alerts; this module keeps the watches themselves."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from graph_service import cursors, subjects
from graph_service.access.caller import Caller
from graph_service.domain.catalogue import catalogue
from graph_service.errors import Refused, ServiceError, not_found
from graph_service.identifiers import IdentifierError, person_id_reference
from graph_service.regions import region_table
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

MAX_DEPTH = 2


class WatchError(ServiceError, ValueError):
    status, code = 422, "invalid_request"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}", field=field)


@dataclass(frozen=True)
class WatchSpec:
    subjects: list[str]
    depth: int
    regions: list[str]
    actions: list[str] | None
    name: str | None
    webhook_url: str | None


def _subject_id(value: str, i: int) -> str:
    """A USCC or a person id, normalised (a 15-digit citizen id upgraded); 422 naming `subjects[i]`.
    Whether it names a subject is asked of the graph (`create`)."""
    try:
        out = person_id_reference(value)
    except IdentifierError as exc:
        raise WatchError(f"subjects[{i}]", str(exc)) from None
    if not out:
        raise WatchError(f"subjects[{i}]", "empty")
    return out


def spec_of(body: dict[str, Any], *, known_actions: list[str], region_exists, max_subjects: int,
            max_regions: int) -> WatchSpec:
    """The watch a request asks for, checked field by field (422 naming the field)."""
    subjects = body.get("subjects") or []
    regions = body.get("regions") or []
    if not subjects and not regions:
        raise WatchError("subjects", "a watch names subjects, regions or both")
    if len(subjects) > max_subjects:
        raise WatchError("subjects", f"at most {max_subjects} subjects per watch")
    if len(regions) > max_regions:
        raise WatchError("regions", f"at most {max_regions} regions per watch")
    depth = body.get("depth", 0)
    if not isinstance(depth, int) or isinstance(depth, bool) or not 0 <= depth <= MAX_DEPTH:
        raise WatchError("depth", f"0, 1 or 2 role or holding links around each subject, not {depth!r}")
    ids = list(dict.fromkeys(_subject_id(s, i) for i, s in enumerate(subjects)))
    for i, code in enumerate(regions):
        if not region_exists(code):
            raise WatchError(f"regions[{i}]", f"unknown region code {code!r} (GB/T 2260)")
    actions = body.get("actions")
    if actions is not None:
        if not actions:
            raise WatchError("actions", "leave it out for every action, or name some")
        for i, a in enumerate(actions):
            if a not in known_actions:
                raise WatchError(f"actions[{i}]", f"unknown action {a!r}; one of: {', '.join(known_actions)}")
    url = body.get("webhook_url")
    if url is not None:
        try:
            parts = urlsplit(url)
            ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:  # e.g. an unclosed IPv6 bracket
            ok = False
        if not ok:
            raise WatchError("webhook_url", "an http:// or https:// URL")
    return WatchSpec(ids, depth, list(dict.fromkeys(regions)), list(dict.fromkeys(actions)) if actions else None,
                     body.get("name"), url)


def _public(w: dict[str, Any], *, secret: bool = False) -> dict[str, Any]:
    """A watch as its owner reads it: the webhook secret only in the answer that made it."""
    out = {k: w.get(k) for k in ("watch_id", "name", "owner", "subjects", "depth", "regions", "actions",
                                 "since_seq", "status", "created_at")}
    out["webhook"] = None if not w.get("webhook_url") else {
        "url": w["webhook_url"], "enabled": bool(w.get("webhook_enabled")), "failures": w.get("webhook_failures", 0),
        **({"secret": w["webhook_secret"]} if secret else {})}
    return out


async def make(graph: Graph, caller: Caller, body: dict[str, Any], settings: ServiceSettings) -> dict[str, Any]:
    """A watch asked for in a request body, checked and kept for the caller's key."""
    table = region_table()
    spec = spec_of(body, known_actions=list(catalogue().actions), region_exists=table.exists,
                   max_subjects=settings.watch_max_subjects, max_regions=settings.watch_max_regions)
    found = await graph.read_tx(subjects.regions_of, spec.subjects) if spec.subjects else {}
    regions = {sid: codes for (sid, _), codes in found.items()}
    return await create(graph, caller, spec, regions)


async def create(graph: Graph, caller: Caller, spec: WatchSpec, subject_regions: dict[str, list[str]]) -> dict[str, Any]:
    """Keeps the watch for the caller's key. A key with a region watches what it may read: its
    subjects must lie in its region (404 as an unknown one otherwise), its regions too (403)."""
    for i, sid in enumerate(spec.subjects):
        regions = subject_regions.get(sid)
        if regions is None or not caller.in_region(regions):
            raise not_found("subject", f"subjects[{i}]", sid)
    for i, code in enumerate(spec.regions):
        ancestors = await _ancestors(graph, code)
        caller.check_region(ancestors, f"region {code}", f"regions[{i}]")
    watch = {
        "watch_id": f"w-{uuid.uuid4().hex[:16]}", "owner": caller.key_id, "owner_region": caller.region_code,
        "name": spec.name, "subjects": spec.subjects, "depth": spec.depth, "regions": spec.regions,
        "actions": spec.actions, "created_at": dt.datetime.now(dt.UTC),
        "webhook_url": spec.webhook_url, "webhook_secret": secrets.token_hex(32) if spec.webhook_url else None,
        "webhook_enabled": spec.webhook_url is not None,
    }
    row = await graph.write("watches/create", watch=watch)
    return _public(row[0]["watch"], secret=True)


async def _ancestors(graph: Graph, code: str) -> list[str]:
    row = await graph.read_one("regions/ancestors", code=code)
    return row["codes"] if row else []


async def owned(graph: Graph, caller: Caller, watch_id: str) -> dict[str, Any]:
    """The stored watch if the caller owns it (an admin: any); 404 otherwise, as for an unknown id."""
    row = await graph.read_one("watches/get", watch_id=watch_id)
    if row is None or (caller.role != "admin" and row["watch"]["owner"] != caller.key_id):
        raise not_found("watch", "watch_id", watch_id)
    return row["watch"]


async def get(graph: Graph, caller: Caller, watch_id: str) -> dict[str, Any]:
    return _public(await owned(graph, caller, watch_id))


async def listed(graph: Graph, caller: Caller, limit: int) -> list[dict[str, Any]]:
    rows = await graph.read("watches/list", owner=None if caller.role == "admin" else caller.key_id, limit=limit)
    return [_public(r["watch"]) for r in rows]


async def delete(graph: Graph, caller: Caller, watch_id: str) -> dict[str, Any]:
    await owned(graph, caller, watch_id)
    row = await graph.write("watches/delete", watch_id=watch_id)
    return _public(row[0]["watch"])


async def enable_webhook(graph: Graph, caller: Caller, watch_id: str) -> dict[str, Any]:
    w = await owned(graph, caller, watch_id)
    if not w.get("webhook_url"):
        raise Refused(409, "no_webhook", f"watch {watch_id} has no webhook", "watch_id")
    row = await graph.write("watches/webhook_enable", watch_id=watch_id)
    return _public(row[0]["watch"])


def alert_of(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for k in ("decisions", "changes"):
        out[k] = json.loads(row[k]) if row.get(k) else []
    return out


async def alerts(graph: Graph, caller: Caller, watch_id: str, since: int | None, cursor: str | None,
                 limit: int) -> dict[str, Any]:
    """A page of the watch's alerts in change-set order: those of sets after `since` (a sequence
    number), or after `cursor`; `next_cursor` always given, as the feed."""
    await owned(graph, caller, watch_id)
    if cursor is not None and since is not None:
        raise WatchError("cursor", "give `since` or `cursor`, not both")
    after_set, after_subject = (since or 0), ""
    if cursor is not None:
        state = cursors.decode(cursor) or {}
        s, subj = state.get("set"), state.get("subject")
        if not isinstance(s, int) or isinstance(s, bool) or not isinstance(subj, str):
            raise cursors.InvalidCursor()
        after_set, after_subject = s, subj
    rows = await graph.read("watches/alerts", watch_id=watch_id, after_set=after_set, after_subject=after_subject,
                            limit=limit)
    items = [alert_of(r["alert"]) for r in rows]
    if items:
        after_set, after_subject = items[-1]["set"], items[-1]["subject_id"]
    return {"items": items, "limit": limit,
            "next_cursor": cursors.encode({"set": after_set, "subject": after_subject})}


async def deliveries(graph: Graph, caller: Caller, watch_id: str, limit: int) -> list[dict[str, Any]]:
    await owned(graph, caller, watch_id)
    return [r["delivery"] for r in await graph.read("watches/deliveries", watch_id=watch_id, limit=limit)]
