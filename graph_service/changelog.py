"""The change log's entries (docs/changes.md): what the write paths say changed.

A plan that changes what the service says `yield`s `runner.Log(entries)`; the runner appends them
as the transaction's last statement (cypher/changes/append.cypher), so the entries commit with the
change or not at all and share its change set. This module only shapes entries: every layer that
writes (facts, propagation, workflow, identity) imports it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from graph_service.runner import Log

KINDS = (
    # registry facts (loads): fields before and after
    "enterprise.added", "enterprise.changed", "person.added", "person.changed",
    "role.added", "role.changed", "role.ended", "holding.added", "holding.changed", "holding.ended",
    # records
    "record.added", "record.changed",  # a load
    "record.initiated", "record.corrected", "record.revoked", "record.repaired",  # the workflow
    "record.expired",  # the daily sweep
    # the workflow
    "objection.filed", "objection.resolved", "person.released", "repair_period.ended",
    "red_listing.ended",
    # identity
    "subjects.merged", "subjects.split",
    # load --initial: one entry for the imported bundle (its rows are not repeated in the log)
    "load.imported",
    # derived
    "liability.started", "liability.ended", "decision.changed",
)


def actor_of(src_load: str, department: str | None = None) -> dict[str, Any]:
    """The actor fields of a write's provenance: a load id, or "api:<key id>"."""
    actor = src_load if src_load.startswith(("api:", "sweep", "admin")) else f"load:{src_load}"
    return {"actor": actor, "department": department}


def _plain(value: Any) -> Any:
    """A value as JSON: days and times as ISO text (the driver's and Python's alike)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    iso = getattr(value, "iso_format", None)
    if iso is not None:
        return iso()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def dumps(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(_plain(dict(values)), ensure_ascii=False, sort_keys=True)


def entry(kind: str, key: str, actor: Mapping[str, Any], *, usccs: Iterable[str] = (),
          person_ids: Iterable[str] = (), regions: Iterable[str | None] = (), all_regions: bool = False,
          before: Mapping[str, Any] | None = None, after: Mapping[str, Any] | None = None,
          effective_on: dt.date | None = None) -> dict[str, Any]:
    """One entry as cypher/changes/append takes it. `regions`: region codes the change names beyond
    its subjects' registration regions (a record's authority, a subject's former region); the
    statement adds the subjects' and every code's ancestors. With `all_regions` the codes given are
    all there are (the writer knows the subjects' regions): their ancestors are added here, from
    the region table, which is cheaper than in the statement (a load logs every row)."""
    if kind not in KINDS:
        raise ValueError(f"unknown change kind {kind!r}")
    codes = sorted(set(c for c in regions if c))
    resolved = _ancestors(codes) if all_regions else None
    return {"kind": kind, "key": key, "usccs": sorted(set(usccs)), "person_ids": sorted(set(person_ids)),
            "regions": resolved if resolved is not None else codes, "resolved": resolved is not None,
            "actor": actor["actor"], "department": actor.get("department"),
            "effective_on": effective_on, "before": dumps(before), "after": dumps(after)}


def _ancestors(codes: list[str]) -> list[str] | None:
    """The codes with their ancestors (a retired code: its successor's too); None when one is not in
    the national table (a bundle's own region: the statement reads it from the graph)."""
    from graph_service.regions import region_table

    table = region_table()
    out: set[str] = set()
    for code in codes:
        if not table.exists(code):
            return None
        out.add(code)
        out.update(table.ancestors(table.effective(code)))
    return sorted(out)


def split(subject_kind: str, ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """(usccs, person_ids) of ids of one subject kind, for `entry`."""
    return (list(ids), []) if subject_kind == "enterprise" else ([], list(ids))


def log(entries: list[dict[str, Any]]) -> Log:
    return Log(entries)
