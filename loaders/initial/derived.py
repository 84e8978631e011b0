"""What propagation derives, as import files too (`load --initial`, docs/loading.md).

After an import, running the propagation statements on the freshly started server cost more than
the import itself: the server's JIT compiles the Cypher runtime while it works (BENCHMARKS.md,
session 4). The facts are all known before the import, so the liabilities, region reach
and notifications go into the import as well. They are computed by the rules evaluated in Python
(graph_service.propagation.in_memory, the same rules.yaml), over the part of the graph the records can reach:
their subjects, the persons those subjects' roles and holdings name, the roles those persons hold
elsewhere, subsidiaries, registrations and the region hierarchy. The import files are read back
(not the bundle) so the derivation sees exactly the facts imported.

tests/test_initial_import.py checks the result against the transactional loader with Cypher
propagation, property by property; tests/test_oracle_property.py checks the oracle against the
propagation statements on generated worlds.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

from graph_service.domain.catalogue import Catalogue
from graph_service.propagation.in_memory import Facts, Oracle
from loaders.initial.import_files import ImportGroup, ImportPlan, converters, node_group, relationship_group

# The properties of a Liability node, as the propagation statements set them (cypher/propagation/).
LIABILITY = (("rule_id", "string"), ("record_id", "string"), ("record_kind", "string"),
             ("subject_id", "string"), ("subject_kind", "string"), ("role", "string"), ("role_key", "string"),
             ("role_start", "date"), ("role_end", "date"), ("anchor", "string"), ("anchor_on", "date"),
             ("path", "string[]"), ("legal_basis", "string"), ("measures", "string[]"),
             ("valid_from", "date"), ("valid_to", "date"), ("released_on", "date"), ("lost_on", "date"),
             ("lost_record_id", "string"), ("lost_path", "string[]"))
NOTIFICATION = (("status", "string"), ("created_at", "datetime"), ("record_id", "string"),
                ("region_code", "string"), ("measures", "string[]"), ("in_reach", "boolean"))
KIND = {"Enterprise": "enterprise", "Person": "person", "Record": "record", "Region": "region"}

_PARSE: dict[str, Callable[[str], object]] = {
    "string": str, "date": date.fromisoformat, "double": float, "long": int,
    "boolean": lambda v: v == "true", "string[]": lambda v: v.split(";"),
}


def _into_or_from(ends: set[str], starts: set[str]) -> Callable[[str, str], bool]:
    """Keeps a relationship row (start, end) whose end is in ``ends`` or whose start is in ``starts``."""
    return lambda a, b: b in ends or a in starts


def _from(starts: set[str]) -> Callable[[str, str], bool]:
    """Keeps a relationship row (start, end) whose start is in ``starts``."""
    return lambda a, b: a in starts


def _files(plan: ImportPlan, kind: str, name: str, start: str | None = None, end: str | None = None) -> list[Path]:
    """The import files of a label (kind 'nodes') or of a relationship type between two id spaces."""
    groups = plan.nodes if kind == "nodes" else plan.relationships
    out = []
    for n, path in groups:
        if n != name:
            continue
        if kind == "relationships" and not path.stem.removesuffix("-multiline").endswith(f"-{start}-{end}"):
            continue
        out.append(path)
    return out


def read_rows(paths: list[Path], keep: Callable[[str, str], bool] | None = None,
          names: frozenset[str] | None = None) -> Iterator[tuple[str, str, dict]]:
    """(first column, second column, typed properties) of each row; ``keep(first, second)`` filters
    rows before they are parsed, ``names`` limits the properties parsed. Ids never hold a comma or a
    quote, so a line's first two cells can be cut off the plain line; a line without a quote is
    split as it is, and a multi-line file is parsed whole."""
    for path in paths:
        with path.open("rb") as fh:
            props: list[tuple[int, str, Callable[[str], object]]] = []
            for i, cell in enumerate(next(csv.reader([fh.readline().decode()]))):
                name, _, t = cell.partition(":")
                if not name or (names is not None and name not in names):
                    continue
                if t.startswith("ID("):
                    props.append((i, name, str))
                elif t in _PARSE:
                    props.append((i, name, _PARSE[t]))
            if path.stem.endswith("-multiline"):
                for cells in csv.reader(io.TextIOWrapper(fh, encoding="utf-8", newline="")):
                    b = cells[1] if len(cells) > 1 else ""
                    if keep is None or keep(cells[0], b):
                        yield cells[0], b, _typed(cells, props)
                continue
            # Bytes until a line is kept: most of a role file is not, and decoding every line took
            # as long again as cutting and testing it.
            for data in fh:
                x, _, rest = data.partition(b",")
                a, b = x.decode(), rest.partition(b",")[0].rstrip(b"\n").decode()
                if keep is not None and not keep(a, b):
                    continue
                line = data.decode().rstrip("\n")
                cells = next(csv.reader([line])) if '"' in line else line.split(",")
                yield a, b, _typed(cells, props)


def _typed(cells: list[str], props) -> dict:
    out = {}
    for i, name, parse in props:
        v = cells[i] if i < len(cells) else ""
        if v != "":
            out[name] = parse(v)
    return out


ROLE_PROPS = frozenset({"key", "role", "start_on", "end_on"})
HOLDING_PROPS = frozenset({"key", "ratio", "start_on", "end_on"})


class Subgraph:
    """The facts the records' liabilities and reach depend on, as the oracle reads them (nodes
    keyed (kind, id), typed edges: graph_service.propagation.in_memory.Facts), read out of the import
    files in two steps: what the liabilities need, then what their reach needs."""

    def __init__(self, plan: ImportPlan):
        self.plan = plan
        self.facts = Facts()
        self._roles: set[str] = set()
        self._subjects: dict[str, set[str]] = {"Enterprise": set(), "Person": set()}

    def _edge(self, rtype: str, start: str, end: str, a: str, b: str, props: dict) -> None:
        props["type"] = rtype
        self.facts.add_edge((KIND[start], a), (KIND[end], b), props)

    def _files(self, kind: str, name: str, start: str | None = None, end: str | None = None) -> list[Path]:
        return _files(self.plan, kind, name, start, end)

    def for_liabilities(self) -> Facts:
        """Records, their subjects and named persons; the roles and holdings in the subjects, the
        subject persons' roles (serving) and the subjects' holdings (subsidiaries)."""
        for _, _, rec in read_rows(self._files("nodes", "Record")):
            self.facts.add_node(("record", rec["record_id"]), **rec)
        subjects = self._subjects
        for label in ("Enterprise", "Person"):
            for rid, sid, _ in read_rows(self._files("relationships", "CONCERNS", "Record", label)):
                subjects[label].add(sid)
                self._edge("CONCERNS", "Record", label, rid, sid, {})
        for rid, pid, _ in read_rows(self._files("relationships", "NAMES_RESPONSIBLE", "Record", "Person")):
            self._edge("NAMES_RESPONSIBLE", "Record", "Person", rid, pid, {})
        ents, persons = subjects["Enterprise"], subjects["Person"]
        for a, b, p in read_rows(self._files("relationships", "HOLDS_ROLE", "Person", "Enterprise"),
                             lambda a, b: b in ents or a in persons, ROLE_PROPS):
            self._edge("HOLDS_ROLE", "Person", "Enterprise", a, b, p)
            self._roles.add(p["key"])
        for start, own in (("Person", persons), ("Enterprise", ents)):
            for a, b, p in read_rows(self._files("relationships", "HOLDS_SHARES", start, "Enterprise"),
                                 _into_or_from(ents, own), HOLDING_PROPS):
                self._edge("HOLDS_SHARES", start, "Enterprise", a, b, p)
        return self.facts

    def for_reach(self, bound_persons: set[str]) -> Facts:
        """Adds the roles the bound persons hold elsewhere, the registrations of every enterprise
        and person in the subgraph, and the region hierarchy."""
        # Rows for_liabilities took (into a subject enterprise, or of a subject person) are not
        # parsed a second time: most of the bound persons' roles are among them.
        ents, persons = self._subjects["Enterprise"], self._subjects["Person"]
        for a, b, p in read_rows(self._files("relationships", "HOLDS_ROLE", "Person", "Enterprise"),
                             lambda a, b: a in bound_persons and b not in ents and a not in persons, ROLE_PROPS):
            if p["key"] not in self._roles:
                self._edge("HOLDS_ROLE", "Person", "Enterprise", a, b, p)
        present = {label: {n[1] for n in self.facts.nodes if n[0] == KIND[label]} for label in ("Enterprise", "Person")}
        for label in ("Enterprise", "Person"):
            for a, b, _ in read_rows(self._files("relationships", "REGISTERED_IN", label, "Region"),
                                 _from(present[label]), frozenset()):
                self._edge("REGISTERED_IN", label, "Region", a, b, {})
        for a, b, _ in read_rows(self._files("relationships", "PART_OF", "Region", "Region"), None, frozenset()):
            self._edge("PART_OF", "Region", "Region", a, b, {})
        return self.facts


@contextlib.contextmanager
def _no_cyclic_gc():
    """The subgraph is a million small dicts and tuples made at once, none of them in a cycle: the
    cyclic collector would walk them (and everything the validation keeps) again and again for
    nothing. Reference counting still frees them."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def derive(plan: ImportPlan, folder: Path, at: datetime, cat: Catalogue) -> dict[str, int]:
    """Writes the Liability and Notification nodes and the GIVES_RISE_TO, BINDS, REACHES_REGION,
    NOTIFIES and IN_REGION links of every record into ``folder`` and adds them to ``plan``.
    Returns the counts (liabilities, reaches, notifications)."""
    with _no_cyclic_gc():
        return _derive(plan, folder, at, cat)


def _derive(plan: ImportPlan, folder: Path, at: datetime, cat: Catalogue) -> dict[str, int]:
    facts = Subgraph(plan)
    o = Oracle(facts.for_liabilities(), cat)
    liabilities = o.liabilities()
    facts.for_reach({lb["bound_id"] for lb in liabilities if lb["subject_kind"] == "person"})
    o.graph_grew()
    reach = o.reach()
    measures = o.notification_measures()

    f = folder
    groups: list[ImportGroup] = [
        lia := node_group(f, "Liability", "liability_id", LIABILITY),
        gives := relationship_group(f, "GIVES_RISE_TO", "Record", "Liability"),
        binds_p := relationship_group(f, "BINDS", "Liability", "Person"),
        binds_e := relationship_group(f, "BINDS", "Liability", "Enterprise"),
        reaches := relationship_group(f, "REACHES_REGION", "Record", "Region",
                                      (("reason", "string"), ("reasons", "string[]"))),
        notes := node_group(f, "Notification", "notification_id", NOTIFICATION),
        notifies := relationship_group(f, "NOTIFIES", "Record", "Notification"),
        in_region := relationship_group(f, "IN_REGION", "Notification", "Region"),
    ]
    convert = converters(LIABILITY)
    for lb in liabilities:
        lid = lb["liability_id"]
        lia.write_plain([lid] + [f(lb.get(n)) for n, f in convert])
        gives.write_plain([lb["record_id"], lid])
        (binds_p if lb["subject_kind"] == "person" else binds_e).write_plain([lid, lb["bound_id"]])
    at_cell = at.isoformat()
    n_reach = 0
    for rid, regions in reach.items():
        ms = ";".join(measures[rid])
        for code, reasons in sorted(regions.items()):
            n_reach += 1
            reaches.write_plain([rid, code, reasons[0], ";".join(reasons)])
            nid = f"{rid}|{code}"
            notes.write_plain([nid, "pending", at_cell, rid, code, ms, "true"])
            notifies.write_plain([rid, nid])
            in_region.write_plain([nid, code])
    for g in groups:
        plan.add(g)
    return {"liabilities": len(liabilities), "reaches": n_reach, "notifications": n_reach}

