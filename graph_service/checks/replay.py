"""A stored check and its replay (GET /v1/checks/{check_id}; docs/changes.md, "known_at").

A check is stored with the answer it gave and the change-log number it was answered at; its replay
is `changes.known_at.check` at that number: the answer rebuilt from the change log, which must be
the stored one. Who may read a stored check: an admin key any, the key that asked its own, a
region-scoped key (a department) those about subjects of its region; for any other the check does
not exist (404, as for an unknown id).
"""

from __future__ import annotations

import json
from typing import Any

from graph_service import credit
from graph_service.access.caller import Caller
from graph_service.changes import known_at
from graph_service.errors import Refused, not_found
from graph_service.runner import Graph, single_async


def _may_read(caller: Caller, check: dict[str, Any], regions: list[str]) -> bool:
    if caller.role == "admin" or (caller.key_id is not None and caller.key_id == check["key_id"]):
        return True
    # Another key's answer may name persons unmasked: never for a public key, whatever its region.
    return caller.sees_persons and caller.region_code is not None and caller.region_code in regions


async def _read(tx: Any, caller: Caller, check_id: str) -> dict[str, Any]:
    row = await single_async(tx, "checks/get", check_id=check_id)
    if row is None or not _may_read(caller, row["check"], row["regions"]):
        raise not_found("check", "check_id", check_id)
    check = row["check"]
    if check.get("answer") is None or check.get("seq") is None:
        raise Refused(409, "not_replayable", f"check {check_id} was stored before checks kept their answer and "
                                             "change-log number; it cannot be replayed", "check_id")
    stored = json.loads(check["answer"])
    # The id asked: a merged subject's answer names the canonical one and `merged_from` the id asked.
    asked = stored.get("merged_from") or stored["subject_id"]
    try:
        replay = await known_at.check(tx, asked, check["action"], check["as_of"], check["seq"])
    except credit.UnknownSubject:
        replay = {"error": f"no enterprise or person {asked!r} at change-log number {check['seq']}"}
    return {**{k: check.get(k) for k in ("check_id", "key_id", "role", "at", "seq", "known_at", "batch_id")},
            "stored": stored, "stored_text": check["answer"], "replay": replay}


async def stored_and_replay(graph: Graph, caller: Caller, check_id: str) -> dict[str, Any]:
    """The stored check `check_id` with `stored` (its answer as given, parsed; `stored_text` as
    stored) and `replay` (the answer rebuilt at its number, not presented yet: the router masks it
    as the stored one was, then compares its `answers.answer_json` with `stored_text`).
    404 for a check the caller may not read or that does not exist."""
    return await graph.read_tx(_read, caller, check_id)
