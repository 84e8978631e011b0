"""Replaying the change log (docs/changes.md) from empty, for tests (issue 18): the registry and
record entries rebuild the facts, `liability.started` / `liability.ended` the liabilities. What the
replay gives is compared with what the graph holds (`graph_facts`, `graph_liabilities`) and handed
to the networkx oracle (`oracle_facts`), which must derive the same liabilities from it."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph_service import changelog
from graph_service.facts.writer import ENTERPRISE_FIELDS, HOLDING_FIELDS, PERSON_FIELDS, RECORD_FIELDS, ROLE_FIELDS
from graph_service.propagation.consequences import _FIELDS as LIABILITY_FIELDS
from graph_service.propagation.in_memory import Facts

RECORD_STATE = RECORD_FIELDS + ("status", "ended_on")
DATES = {"start_on", "end_on", "misconduct_on", "decided_on", "published_on", "valid_until", "ended_on", "on",
         "established_on", "valid_from", "valid_to", "role_start", "role_end", "anchor_on", "released_on",
         "lost_on"}


def plain(values: dict[str, Any]) -> dict[str, Any]:
    """Fields as the log writes them (days as ISO text), nulls left out: a fact read from the graph
    and one replayed from the log compare equal when they say the same."""
    return {k: v for k, v in changelog._plain(values).items() if v is not None}


def typed(values: dict[str, Any]) -> dict[str, Any]:
    """Fields as the rules read them: ISO days back to dates."""
    return {k: dt.date.fromisoformat(v) if k in DATES and isinstance(v, str) else v for k, v in values.items()}


@dataclass
class Replayed:
    enterprises: dict[str, dict] = field(default_factory=dict)
    persons: dict[str, dict] = field(default_factory=dict)
    roles: dict[str, dict] = field(default_factory=dict)  # key -> person_id, uscc and ROLE_FIELDS
    holdings: dict[str, dict] = field(default_factory=dict)  # key -> holder_id, uscc and HOLDING_FIELDS
    records: dict[str, dict] = field(default_factory=dict)  # RECORD_STATE
    releases: dict[tuple[str, str], str] = field(default_factory=dict)  # (person, record) -> on
    liabilities: dict[str, dict] = field(default_factory=dict)

    def facts(self) -> dict[str, Any]:
        return {"enterprises": {k: plain(v) for k, v in self.enterprises.items()},
                "persons": {k: plain(v) for k, v in self.persons.items()},
                "roles": {k: plain(v) for k, v in self.roles.items()},
                "holdings": {k: plain(v) for k, v in self.holdings.items()},
                "records": {k: plain(v) for k, v in self.records.items()},
                "releases": dict(self.releases)}


def _update(table: dict[str, dict], key: str, kind: str, entry: dict, after: dict) -> None:
    if key not in table:
        raise AssertionError(f"entry {entry['seq']} {kind} of {key!r}, which the log never added")
    table[key].update(after)


def replay(entries: list[dict]) -> Replayed:
    """The facts and liabilities the entries (in `seq` order, from the first) say."""
    out = Replayed()
    last = 0
    for e in entries:
        assert e["seq"] > last, f"entries out of order at {e['seq']}"
        last = e["seq"]
        kind, key = e["kind"], e["key"]
        before = json.loads(e["before"]) if e.get("before") else None
        after = json.loads(e["after"]) if e.get("after") else None
        family, what = kind.split(".")
        if kind in ("enterprise.added", "person.added"):
            table = out.enterprises if family == "enterprise" else out.persons
            assert key not in table, f"entry {e['seq']}: {key} added twice"
            assert after is not None
            table[key] = {f: after.get(f) for f in (ENTERPRISE_FIELDS if family == "enterprise" else PERSON_FIELDS)}
        elif kind in ("enterprise.changed", "person.changed"):
            assert before is not None and after is not None and set(before) == set(after)
            _update(out.enterprises if family == "enterprise" else out.persons, key, kind, e, after)
        elif family in ("role", "holding"):
            table = out.roles if family == "role" else out.holdings
            assert after is not None
            if what == "added":
                assert key not in table, f"entry {e['seq']}: {key} added twice"
                if family == "role":
                    person, uscc = key.split("|")[:2]
                    table[key] = {"person_id": person, "uscc": uscc, **{f: after.get(f) for f in ROLE_FIELDS}}
                else:
                    holder, uscc = key.split("|")[:2]
                    table[key] = {"holder_id": holder, "uscc": uscc, **{f: after.get(f) for f in HOLDING_FIELDS}}
            else:
                assert before is not None and set(before) == set(after)
                _update(table, key, kind, e, after)
        elif kind in ("record.added", "record.initiated"):
            assert key not in out.records, f"entry {e['seq']}: record {key} added twice"
            assert after is not None
            out.records[key] = {f: after.get(f) for f in RECORD_STATE}
        elif kind in ("record.changed", "record.corrected"):
            assert before is not None and after is not None and set(before) == set(after)
            _update(out.records, key, kind, e, after)
        elif kind in ("record.revoked", "record.repaired"):
            assert after is not None
            _update(out.records, key, kind, e, {"status": after["status"], "ended_on": after["ended_on"]})
        elif kind == "person.released":
            assert after is not None
            out.releases[(after["person_id"], after["record_id"])] = after["on"]
        elif kind == "liability.started":
            assert key not in out.liabilities, f"entry {e['seq']}: liability {key} started while in the graph"
            out.liabilities[key] = after
        elif kind == "liability.ended":
            assert out.liabilities.pop(key, None) == before, f"entry {e['seq']}: {key} ended as it never was"
        elif kind in ("objection.filed", "objection.resolved", "decision.changed"):
            pass  # no fact: an objection suspends, a decision follows from the liabilities
        else:
            raise AssertionError(f"entry {e['seq']}: the replay does not know {kind}")
    return out


def graph_facts(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The same shape as `Replayed.facts` from the graph as tests/graph_export.read_graph reads it."""
    out: dict[str, Any] = {"enterprises": {}, "persons": {}, "roles": {}, "holdings": {}, "records": {},
                           "releases": {}}
    for (label, key), props in graph.nodes(data=True):
        if label == "enterprise":
            out["enterprises"][key] = plain({f: props.get(f) for f in ENTERPRISE_FIELDS})
        elif label == "person":
            out["persons"][key] = plain({f: props.get(f) for f in PERSON_FIELDS})
        elif label == "record":
            out["records"][key] = plain({f: props.get(f) for f in RECORD_STATE})
    for a, b, d in graph.edges(data=True):
        if d["type"] == "HOLDS_ROLE":
            out["roles"][d["key"]] = plain({"person_id": a[1], "uscc": b[1], **{f: d.get(f) for f in ROLE_FIELDS}})
        elif d["type"] == "HOLDS_SHARES":
            out["holdings"][d["key"]] = plain({"holder_id": a[1], "uscc": b[1],
                                               **{f: d.get(f) for f in HOLDING_FIELDS}})
        elif d["type"] == "RELEASED_FROM":
            out["releases"][(a[1], b[1])] = changelog._plain(d["on"])
    return out


def liabilities_of(rows: list[dict]) -> dict[str, dict]:
    """Liabilities (graph rows or the oracle's) by id, as the log says them."""
    out = {}
    for r in rows:
        assert r["bound_id"] == r["subject_id"], r
        out[r["liability_id"]] = plain({f: r.get(f) for f in LIABILITY_FIELDS})
    return out


def oracle_facts(r: Replayed) -> Facts:
    """What the oracle reads (graph_service.propagation.in_memory), built from the replayed facts only."""
    f = Facts()
    for uscc, props in r.enterprises.items():
        f.add_node(("enterprise", uscc), **typed(props), uscc=uscc)
    for pid, props in r.persons.items():
        f.add_node(("person", pid), **typed(props), person_id=pid)
    for rid, props in r.records.items():
        node = ("record", rid)
        f.add_node(node, **typed(props), record_id=rid)
        f.add_edge(node, (props["subject_kind"], props["subject_id"]), {"type": "CONCERNS"})
        for pid in props.get("responsible_person_ids") or []:
            f.add_edge(node, ("person", pid), {"type": "NAMES_RESPONSIBLE"})
    for key, props in r.roles.items():
        f.add_edge(("person", props["person_id"]), ("enterprise", props["uscc"]),
                   {"type": "HOLDS_ROLE", "key": key, **typed({k: props[k] for k in ROLE_FIELDS})})
    for key, props in r.holdings.items():
        holder = ("enterprise", props["holder_id"]) if props["holder_id"] in r.enterprises else ("person", props["holder_id"])
        f.add_edge(holder, ("enterprise", props["uscc"]),
                   {"type": "HOLDS_SHARES", "key": key, **typed({k: props[k] for k in HOLDING_FIELDS})})
    for (pid, rid), on in r.releases.items():
        f.add_edge(("person", pid), ("record", rid), {"type": "RELEASED_FROM", "on": dt.date.fromisoformat(on)})
    return f
