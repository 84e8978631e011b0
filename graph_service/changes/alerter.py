"""The alerter: reads the change log after its cursor and writes each watch's alerts
(docs/changes.md, Watches). One alert per watched subject (a region watch: per subject changed)
per change set, naming what changed: the decisions per action before and after, the other changes
(roles, holdings, records, objections…) with the path from the watched subject, and the sequence
numbers of every entry it stands for.

A step runs in one write transaction under the alerter's lock (cypher/watches/lock_cursor), so
several service processes may run it: each entry is turned into alerts once, and alerts are keyed
(watch, set, subject) besides. The service runs it in the background (app lifespan); `credit-graph
watch process` runs it from the command line.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph_service.changes.feed import entry_of
from graph_service.runner import Plan, Step, only

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
# Entries that alert. Liabilities alert through the decisions they change (their numbers are in
# change_seqs); an imported bundle is no one subject's change.
QUIET = ("liability.started", "liability.ended", "load.imported")


@dataclass(frozen=True)
class Watch:
    watch_id: str
    subjects: list[str]
    depth: int
    regions: list[str]
    actions: list[str] | None
    since_seq: int
    webhook: bool

    @classmethod
    def of(cls, row: dict[str, Any]) -> Watch:
        return cls(row["watch_id"], list(row["subjects"] or []), int(row["depth"] or 0), list(row["regions"] or []),
                   list(row["actions"]) if row.get("actions") else None, int(row["since_seq"] or 0),
                   bool(row["webhook"]))


@dataclass(frozen=True)
class Near:
    """A subject in a watched subject's neighbourhood: links away, the ids on the way and their names."""

    hops: int
    ids: list[str]
    links: list[str]


@dataclass
class _Alert:
    watch: Watch
    set: int
    subject_id: str
    path: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    seqs: list[int] = field(default_factory=list)
    hops: int = 99

    def row(self) -> dict[str, Any]:
        return {"alert_id": f"{self.watch.watch_id}:{self.set}:{self.subject_id}", "watch_id": self.watch.watch_id,
                "set": self.set, "subject_id": self.subject_id, "path": self.path, "links": self.links,
                "change_seqs": sorted(set(self.seqs)), "decisions": json.dumps(self.decisions, ensure_ascii=False),
                "changes": json.dumps(self.changes, ensure_ascii=False), "webhook": self.watch.webhook}


def _change(e: dict[str, Any], near: Near | None) -> dict[str, Any]:
    out = {k: e[k] for k in ("seq", "kind", "key", "subjects", "before", "after")}
    if near is not None:
        out["path"], out["links"] = near.ids, near.links
    return out


def _decision(e: dict[str, Any]) -> dict[str, Any]:
    action = (e.get("after") or e.get("before") or {}).get("action") or e["key"].rsplit("|", 1)[-1]
    return {"seq": e["seq"], "subject_id": e["subjects"][0] if e["subjects"] else None, "action": action,
            "before": {k: v for k, v in (e.get("before") or {}).items() if k != "action"},
            "after": {k: v for k, v in (e.get("after") or {}).items() if k != "action"}}


def _add(alert: _Alert, e: dict[str, Any], near: Near | None, actions: list[str] | None) -> bool:
    """Adds an entry to an alert; whether it is one the watch alerts for (a decision for one of its
    actions, when it names actions; any change otherwise)."""
    alert.seqs.append(e["seq"])
    if e["kind"] in QUIET:
        return False
    if near is not None and near.hops < alert.hops:
        alert.hops, alert.path, alert.links = near.hops, near.ids, near.links
    if e["kind"] == "decision.changed":
        d = _decision(e)
        if actions is not None and d["action"] not in actions:
            return False
        alert.decisions.append(d)
        return True
    alert.changes.append(_change(e, near))
    return actions is None


def alerts_of(entries: Iterable[dict[str, Any]], watches: list[Watch],
              hoods: dict[str, dict[str, Near]]) -> list[dict[str, Any]]:
    """The alerts of change-log entries (as `feed.entry_of` gives them) for the watches, given the
    neighbourhood of each watched subject (watched id -> subject id -> Near, hops within 0-2).
    An alert that only gathered entries that do not alert (liabilities; other actions) is dropped."""
    by_set: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        by_set[e["set"]].append(e)
    out: list[dict[str, Any]] = []
    for set_id in sorted(by_set):
        group = by_set[set_id]
        for w in watches:
            alerts: dict[str, _Alert] = {}
            alerting: set[str] = set()
            for e in group:
                if e["seq"] <= w.since_seq:
                    continue
                for watched in w.subjects:
                    hood = hoods.get(watched, {})
                    near = min((hood[s] for s in e["subjects"] if s in hood and hood[s].hops <= w.depth),
                               key=lambda n: n.hops, default=None)
                    if near is None:
                        continue
                    a = alerts.setdefault(watched, _Alert(w, set_id, watched))
                    if _add(a, e, near, w.actions):
                        alerting.add(watched)
                if w.regions and set(e["regions"]) & set(w.regions) and e["subjects"]:
                    subject = e["subjects"][0]
                    if subject in w.subjects:
                        continue  # its subject watch above has it
                    a = alerts.setdefault(subject, _Alert(w, set_id, subject))
                    if _add(a, e, None, w.actions):
                        alerting.add(subject)
            out.extend(alerts[s].row() for s in sorted(alerting))
    return out


def _today() -> dt.date:
    return dt.datetime.now(CHINA).date()


def step_plan(batch: int, max_nodes: int) -> Plan[dict[str, int]]:
    """One step: lock, read up to `batch` entries after the cursor (whole change sets), write the
    alerts of the active watches, move the cursor. Returns counts."""
    last = only((yield Step("watches/lock_cursor", {})))["last_seq"]
    watches = [Watch.of(r) for r in (yield Step("watches/active", {}))]
    if not watches:
        # Nothing to alert: skip to the end of the log (a watch made later alerts on what follows it,
        # and its creation waits for this lock).
        top = only((yield Step("changes/last_seq", {})))["last"]
        if top > last:
            yield Step("watches/advance", {"last_seq": top})
        return {"entries": 0, "alerts": 0, "last_seq": max(top, last)}
    rows = yield Step("watches/entries", {"after": last, "limit": batch})
    if not rows:
        return {"entries": 0, "alerts": 0, "last_seq": last}
    entries = [entry_of(r["entry"]) for r in rows]
    hoods: dict[str, dict[str, Near]] = {}
    watched = {(s, w.depth) for w in watches for s in w.subjects}
    if watched:
        depth: dict[str, int] = {}
        for s, d in watched:
            depth[s] = max(depth.get(s, 0), d)
        for r in (yield Step("watches/neighbourhood", {
                "watched": [{"id": s, "depth": d} for s, d in sorted(depth.items())], "today": _today(),
                "max_nodes": max_nodes})):
            hoods.setdefault(r["watched"], {})[r["subject"]] = Near(r["hops"], r["ids"], r["links"])
    alerts = alerts_of(entries, watches, hoods)
    if alerts:
        yield Step("watches/write_alerts", {"alerts": alerts})
    new_last = entries[-1]["seq"]
    yield Step("watches/advance", {"last_seq": new_last})
    return {"entries": len(entries), "alerts": len(alerts), "last_seq": new_last}
