"""Writing validated rows to the graph, one batched UNWIND statement per call.

Each writer is a plan (graph_service.runner) taking plain dict rows (the fields of the row models
in graph_service.facts.models, plus an optional ``line``) and the provenance of the write. It
compares the rows with what is stored for their keys (in a read first, or for roles and holdings,
the bulk of a bundle, inside the write statement itself), writes only the rows that create or
change a fact (so a reload, or a rerun after a crash, leaves facts and their provenance as they
were), and returns what changed (`WriteStats.touched`). Facts know nothing of the rules:
graph_service.propagation.writes runs a writer and then the propagation of what it touched, in the
same transaction, so a batch and its derived liabilities commit together or not at all.

``columns``: the columns the source has. A property whose column the source lacks is left as
stored on an existing node and set from the row (its default) only on a new one, so a later,
slimmer file does not wipe what an earlier one said. ``None`` means every field is given.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graph_service import changelog
from graph_service.facts.models import holding_key, role_key
from graph_service.facts.search_keys import enterprise_names, person_names
from graph_service.runner import Log, Plan, Step, one

ENTERPRISE_FIELDS = ("name", "kind", "region_code", "status", "established_on", "registered_capital",
                     "industry", "address")
PERSON_FIELDS = ("id_type", "name", "region_code", "id_15")
ROLE_FIELDS = ("role", "title", "start_on", "end_on")
HOLDING_FIELDS = ("ratio", "subscribed_capital", "start_on", "end_on")
RECORD_FIELDS = ("subject_kind", "subject_id", "kind", "category", "severity", "authority_id",
                 "authority_region", "document_no", "misconduct_on", "decided_on", "published_on",
                 "valid_until", "legal_basis", "responsible_person_ids")
# Part of the key, or derived from required columns: written whatever the file's columns.
_ALWAYS = {
    "role": {"role", "start_on"},
    "holding": {"start_on"},
    "record": {"authority_id", "severity", "misconduct_on", "valid_until"},
}


@dataclass(frozen=True)
class Provenance:
    src_load: str  # the Load id, or "api:<key id>"
    src_file: str | None
    src_at: datetime
    src_department: str | None = None  # the department that reported the load (issue 15, point 18)

    def params(self) -> dict:
        return {"src_load": self.src_load, "src_file": self.src_file, "src_at": self.src_at,
                "src_department": self.src_department}

    def actor(self) -> dict:
        """Who the change log says made the change (docs/changes.md)."""
        return changelog.actor_of(self.src_load, self.src_department)


@dataclass(frozen=True)
class Touched:
    """What a write changed that the derived facts depend on (propagation's on_change)."""

    record_ids: list[str] = field(default_factory=list)
    usccs: list[str] = field(default_factory=list)
    person_ids: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.record_ids or self.usccs or self.person_ids)


@dataclass(frozen=True)
class WriteStats:
    written: int  # rows upserted (unchanged ones included)
    changed: int  # of which created or changed a fact
    touched: Touched = field(default_factory=Touched)


def _split(row: Mapping, fields: Iterable[str], columns: Collection[str] | None,
           always: Collection[str] = ()) -> tuple[dict, dict]:
    props: dict = {}
    defaults: dict = {}
    for f in fields:
        if columns is None or f in columns or f in always:
            props[f] = row.get(f)
        else:
            defaults[f] = row.get(f)
    return props, defaults


def _step(name: str, params: dict[str, Any]) -> Step:
    # Stored values are compared as the driver gives them (neo4j.time.Date equals datetime.date):
    # converting a batch's rows would cost more than comparing them.
    return Step(name, params, convert=False)


def _current(name: str, ids: list[str], param: str = "ids") -> Plan[dict[str, dict]]:
    """The stored rows by id: `props` (what a row is compared with) and what else the statement reads."""
    return {r["id"]: r for r in (yield _step(name, {param: ids}))}


def _changes(stored: dict | None, props: dict) -> list[str] | None:
    """The properties a row changes; None for a new fact."""
    if stored is None:
        return None
    # neo4j.time.Date compares equal to datetime.date; a missing property is null.
    return [k for k, v in props.items() if stored.get(k) != v]


def _last_per_key(params: list[dict], key: str) -> list[dict]:
    """One row per key, the batch's last: rows of one batch are all compared with what was stored
    before it, so an earlier repeat must not be written after a later one (a reload would then
    end on the earlier row). Sequential batches see each other's writes."""
    if len({p[key] for p in params}) == len(params):
        return params
    return list({p[key]: p for p in params}.values())


def _select(params: list[dict], key: str, reader: str,
            param: str = "ids") -> Plan[tuple[list[dict], list[list[str] | None], dict[str, dict]]]:
    """The rows that create or change a fact, with what each changes (None: new), and the stored
    rows by key."""
    params = _last_per_key(params, key)
    stored = yield from _current(reader, list({p[key] for p in params}), param)
    out: list[dict] = []
    changes: list[list[str] | None] = []
    for p in params:
        found = stored.get(p[key])
        ch = _changes(None if found is None else found["props"], p["props"])
        if ch is None or ch:
            out.append(p)
            changes.append(ch)
    return out, changes, stored


def _upsert(name: str, rows: list[dict], prov: Provenance) -> Plan[dict]:
    """Runs a write statement and returns its summary row (roles and holdings: written, changed,
    the ends written; those compare each row with what is stored themselves). A statement that
    counts `written` rows must have attached every row."""
    out = one((yield _step(name, {"rows": rows, "prov": prov.params()}))) or {}
    if "written" in out and out["written"] != len(rows):
        raise RuntimeError(f"{len(rows) - out['written']} rows of {name} found no person or enterprise "
                           "to attach to: one was deleted while loading")
    return out


def _write(name: str, rows: list[dict], prov: Provenance) -> Plan[None]:
    if rows:
        yield from _upsert(name, rows, prov)


def _node_entries(kind: str, key: str, todo: list[dict], changes: list[list[str] | None],
                  stored: dict[str, dict], prov: Provenance) -> Log:
    """The change-log entries of enterprise or person rows written: added with every field, or
    changed with the fields before and after (a move names the former region too)."""
    actor = prov.actor()
    out = []
    for p, ch in zip(todo, changes):
        sid = p[key]
        u, ps = changelog.split(kind, [sid])
        if ch is None:
            row = {**p["defaults"], **p["props"]}
            out.append(changelog.entry(f"{kind}.added", sid, actor, usccs=u, person_ids=ps,
                                       regions=[row.get("region_code")], all_regions=True, after=row))
        else:
            was = stored[sid]["props"]
            region = p["props"].get("region_code", was.get("region_code"))
            out.append(changelog.entry(
                f"{kind}.changed", sid, actor, usccs=u, person_ids=ps, regions=[region, was.get("region_code")],
                all_regions=True, before={k: was.get(k) for k in ch}, after={k: p["props"][k] for k in ch}))
    return Log(out)


def _edge_entries(kind: str, changed: list[dict], prov: Provenance) -> Log:
    """The change-log entries of role or holding rows written (`changes` of the statement:
    {key, holder_id, holder_kind, uscc, before (all the stored properties), props, defaults,
    regions (of both ends)}): added, ended (an end day
    set where there was none) or changed."""
    actor = prov.actor()
    out = []
    for c in changed:
        before = c["before"]
        after = dict(c["props"]) if before is not None else {**c["defaults"], **c["props"]}
        if before is None:
            what = "added"
        elif after.get("end_on") is not None and before.get("end_on") is None:
            what = "ended"
        else:
            what = "changed"
        if before is not None:
            keys = [k for k in after if before.get(k) != after[k]]
            before, after = {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
        holder = c["holder_id"]
        out.append(changelog.entry(
            f"{kind}.{what}", c["key"], actor, usccs=[c["uscc"]] + ([holder] if c["holder_kind"] == "enterprise" else []),
            person_ids=[holder] if c["holder_kind"] == "person" else [], regions=c["regions"], all_regions=True,
            before=before, after=after))
    return Log(out)


def enterprises_plan(rows: list[Mapping], prov: Provenance,
                     columns: Collection[str] | None = None) -> Plan[WriteStats]:
    params = []
    for r in rows:
        props, defaults = _split(r, ENTERPRISE_FIELDS, columns)
        params.append({"uscc": r["uscc"], "line": r.get("line"), "props": props, "defaults": defaults})
    todo, changes, stored = yield from _select(params, "uscc", "loading/current_enterprises")
    for p, ch in zip(todo, changes):
        p["relink"] = ch is None or "region_code" in ch
        # The search keys and former names follow the name (graph_service.facts.search_keys).
        found = stored.get(p["uscc"])
        if found is None or ch is None or "name" in ch or found["names"]["search_keys"] is None:
            name = p["props"].get("name", p["defaults"].get("name"))
            p["search"] = enterprise_names(name, None if found is None else {**found["names"], **found["props"]},
                                           prov.src_load, prov.src_at)
        else:
            p["search"] = {}
    yield from _write("loading/enterprises", todo, prov)
    if todo:
        yield _node_entries("enterprise", "uscc", todo, changes, stored, prov)
    # A status change (revoked, deregistered) can change who is bound by a record about it, and a
    # new registration region which regions the records around it reach; a new enterprise has no
    # record or role yet.
    changed = sorted({p["uscc"] for p, ch in zip(todo, changes) if ch and ("status" in ch or "region_code" in ch)})
    return WriteStats(len(params), len(todo), Touched(usccs=changed))


def persons_plan(rows: list[Mapping], prov: Provenance,
                 columns: Collection[str] | None = None) -> Plan[WriteStats]:
    params = []
    for r in rows:
        props, defaults = _split(r, PERSON_FIELDS, columns)
        # The 15-digit form is kept once a bundle gave it: a later row in the 18-digit form
        # (id_15 None) names the same person and leaves it.
        props.pop("id_15", None)
        defaults.pop("id_15", None)
        if r.get("id_15"):
            props["id_15"] = r["id_15"]
        params.append({"person_id": r["person_id"], "line": r.get("line"), "props": props,
                       "defaults": defaults})
    todo, changes, stored = yield from _select(params, "person_id", "loading/current_persons")
    for p, ch in zip(todo, changes):
        p["relink"] = ch is None or "region_code" in ch
        if ch is None or "name" in ch or not stored[p["person_id"]]["keyed"]:
            p["search"] = person_names(p["props"].get("name", p["defaults"].get("name")))
        else:
            p["search"] = {}
    yield from _write("loading/persons", todo, prov)
    if todo:
        yield _node_entries("person", "person_id", todo, changes, stored, prov)
    # A person registered elsewhere moves the reach of the records about them.
    moved = sorted({p["person_id"] for p, ch in zip(todo, changes) if ch and "region_code" in ch})
    return WriteStats(len(params), len(todo), Touched(person_ids=moved))


def roles_plan(rows: list[Mapping], prov: Provenance,
               columns: Collection[str] | None = None) -> Plan[WriteStats]:
    params = []
    for r in rows:
        props, defaults = _split(r, ROLE_FIELDS, columns, _ALWAYS["role"])
        params.append({"key": role_key(r["person_id"], r["uscc"], r["role"], r.get("start_on")),
                       "person_id": r["person_id"], "uscc": r["uscc"], "line": r.get("line"),
                       "props": props, "defaults": defaults})
    if not params:
        return WriteStats(0, 0)
    out = yield from _upsert("loading/roles", _last_per_key(params, "key"), prov)
    if out["changed"]:
        yield _edge_entries("role", out["changes"], prov)
    touched = Touched(usccs=out["usccs"], person_ids=out["person_ids"]) if out["changed"] else Touched()
    return WriteStats(len(params), out["changed"], touched)


def shareholdings_plan(rows: list[Mapping], prov: Provenance,
                       columns: Collection[str] | None = None) -> Plan[WriteStats]:
    params: dict[str, list[dict]] = {"person": [], "enterprise": []}
    for r in rows:
        props, defaults = _split(r, HOLDING_FIELDS, columns, _ALWAYS["holding"])
        params[r["holder_kind"]].append({
            "key": holding_key(r["holder_id"], r["uscc"], r.get("start_on")), "holder_id": r["holder_id"],
            "uscc": r["uscc"], "line": r.get("line"), "props": props, "defaults": defaults})
    changed = 0
    usccs: set[str] = set()
    person_ids: set[str] = set()
    for kind, kind_rows in params.items():
        if not kind_rows:
            continue
        out = yield from _upsert(f"loading/shareholdings_{kind}", _last_per_key(kind_rows, "key"), prov)
        changed += out["changed"]
        if out["changed"]:
            yield _edge_entries("holding", out["changes"], prov)
        usccs.update(out["usccs"])
        # Both ends of a holding may change who a record reaches (subsidiary reach, risk).
        (person_ids if kind == "person" else usccs).update(out["holder_ids"])
    touched = Touched(usccs=sorted(usccs), person_ids=sorted(person_ids)) if changed else Touched()
    return WriteStats(len(rows), changed, touched)


def records_plan(rows: list[Mapping], prov: Provenance,
                 columns: Collection[str] | None = None) -> Plan[WriteStats]:
    params = []
    for r in rows:
        row = dict(r)
        row.setdefault("authority_id", f"{r['authority_region']}:{r['authority']}")
        props, defaults = _split(row, RECORD_FIELDS, columns, _ALWAYS["record"])
        defaults["status"] = "in_force"
        params.append({"record_id": r["record_id"], "authority": r["authority"],
                       "authority_region": r["authority_region"], "line": r.get("line"),
                       "props": props, "defaults": defaults})
    todo, changes, stored = yield from _select(params, "record_id", "loading/current_records")
    yield from _write("loading/records", todo, prov)
    if todo:
        yield _record_entries(todo, changes, stored, prov)
    return WriteStats(len(params), len(todo), Touched(record_ids=sorted({p["record_id"] for p in todo})))


def _record_entries(todo: list[dict], changes: list[list[str] | None], stored: dict[str, dict],
                    prov: Provenance) -> Log:
    """record.added / record.changed from a load, record.initiated / record.corrected through the
    API: about the subject and the persons named responsible, in the authority's region too."""
    actor = prov.actor()
    out = []
    for p, ch in zip(todo, changes):
        after = {**p["defaults"], **p["props"]}
        if ch is not None:
            was = stored[p["record_id"]]["props"]
            before, after = {k: was.get(k) for k in ch}, {k: p["props"][k] for k in ch}
        else:
            before = None
        full = {**p["defaults"], **p["props"]}
        subject = str(full.get("subject_id"))
        persons = list(full.get("responsible_person_ids") or [])
        usccs = [subject] if full.get("subject_kind") == "enterprise" else []
        if full.get("subject_kind") == "person":
            persons.append(subject)
        # Through the API (POST /v1/records, an objection's correction) the workflow's words.
        via_api = prov.src_load.startswith("api:")
        kind = ("record.initiated" if via_api else "record.added") if ch is None else (
            "record.corrected" if via_api else "record.changed")
        out.append(changelog.entry(kind, p["record_id"], actor,
                                   usccs=usccs, person_ids=persons, regions=[p["authority_region"]],
                                   before=before, after=after))
    return Log(out)
