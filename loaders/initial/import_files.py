"""A bundle's accepted rows as the CSV files of `neo4j-admin database import` (`load --initial`).

The files hold what the transactional writers (graph_service.facts.writer, cypher/loading) store for the same rows
in an empty graph: the same properties with the same types, the same provenance, and the links the
write statements make (REGISTERED_IN, CONCERNS, DECIDED_BY, ...). tests/test_initial_import.py
loads one bundle both ways and compares the graphs.

The import tool creates and never updates: a row whose key came earlier in the bundle (a file that
repeats an enterprise or a role) is held back and written after the import by the transactional
writer, which updates what the first row created, as an ordinary load does. A row with a line
break in a value goes to a side file that the tool parses as multi-line (slower, so only there).
"""

from __future__ import annotations

import csv
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

from graph_service.facts import models
from graph_service.facts.models import holding_key, role_key
from graph_service.facts.search_keys import new_enterprise_names, person_names
from graph_service.facts.writer import ENTERPRISE_FIELDS, HOLDING_FIELDS, PERSON_FIELDS, RECORD_FIELDS, ROLE_FIELDS
from graph_service.regions import node_rows

_SRC = (("src_load", "string"), ("src_file", "string"), ("src_line", "long"), ("src_at", "datetime"),
        ("src_department", "string"))
_REGION = (("name", "string"), ("level", "string"), ("valid_from", "long"), ("valid_to", "long"),
           ("retired", "boolean"), ("successor", "string"), ("source", "string"), *_SRC)
_AUTHORITY = (("name", "string"), ("region_code", "string"), *_SRC)
# The search keys (graph_service.facts.search_keys), as the transactional writer stores them on a new node.
_SEARCH = {"Enterprise": (("search_keys", "string[]"), ("name_since", "date"), ("name_load", "string")),
           "Person": (("search_keys", "string[]"), ("pinyin_keys", "string[]"))}
_LOAD = (("bundle", "string"), ("started_at", "datetime"), ("status", "string"), ("runs", "long"),
         ("mode", "string"), ("department", "string"))


def _import_type(model: type | None, name: str) -> str:
    """The import tool's type of a property, read off the row model's annotation."""
    info = model.model_fields.get(name) if model is not None else None
    if info is None:
        return "string"
    ann = info.annotation
    if typing.get_origin(ann) is list:
        return "string[]"
    for t in typing.get_args(ann) or (ann,):
        if typing.get_origin(t) is list:
            return "string[]"
        if t is bool:
            return "boolean"
        if t is date:
            return "date"
        if t is float:
            return "double"
        if t is int:
            return "long"
    return "string"


def _props(model: type, names: Iterable[str]) -> tuple[tuple[str, str], ...]:
    return tuple((n, _import_type(model, n)) for n in names) + _SRC


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def _text(v) -> str:
    return "" if v is None else v


def _iso(v) -> str:
    return "" if v is None else v.isoformat()


def _number(v) -> str:
    return "" if v is None else repr(v)


def _array(v) -> str:
    return "" if v is None else ";".join(v)


def _boolean(v) -> str:
    return "" if v is None else ("true" if v else "false")


# One converter per import type: the values come validated, so the type of each is known.
_CONVERT = {"string": _text, "date": _iso, "datetime": _iso, "double": _number, "long": _number,
            "string[]": _array, "boolean": _boolean}


def converters(props) -> list[tuple[str, object]]:
    return [(n, _CONVERT[t]) for n, t in props]


_BUFFER = 1 << 20  # per import file: fewer write calls than the default 8 KiB


@dataclass
class ImportGroup:
    """One kind of node (by label) or relationship (by type, between two id spaces)."""

    kind: str  # "nodes" or "relationships"
    name: str  # label or relationship type
    path: Path
    header: list[str]
    props: tuple[tuple[str, str], ...]
    _fh: IO | None = None
    _writer: object | None = None
    _side: ImportGroup | None = None
    rows: int = 0
    _written: bool = False  # the file was written and closed (here, or in a forked process)

    @property
    def opened(self) -> bool:
        return self._fh is not None or self._written or self._side is not None

    def write(self, cells: list[str]) -> None:
        line = ",".join(cells)
        if "\n" in line or "\r" in line:
            if self._side is None:
                self._side = ImportGroup(self.kind, self.name, self.path.with_name(self.path.stem + "-multiline.csv"),
                                    self.header, self.props)
            self._side.write_plain(cells)
            return
        self._put(cells, line)

    def write_plain(self, cells: list[str]) -> None:
        self._put(cells, ",".join(cells))

    def _put(self, cells: list[str], line: str) -> None:
        if self._fh is None:
            self._fh = self.path.open("w", encoding="utf-8", newline="", buffering=_BUFFER)
            self._writer = csv.writer(self._fh, lineterminator="\n")
            self._writer.writerow(self.header)
        # Most rows need no quoting: joined as they are, they are the bytes csv.writer writes (it
        # quotes a cell holding the delimiter, a quote or a line break). At 100k, csv.writer took
        # a seventh of the validation's time.
        if '"' in line or "\n" in line or "\r" in line or line.count(",") != len(cells) - 1:
            self._writer.writerow(cells)
        else:
            self._fh.write(line)
            self._fh.write("\n")
        self.rows += 1

    def drop_keys(self, hashes: set[int]) -> set[int]:
        """Rewrites the closed files without the rows whose key column hashes to one of ``hashes``;
        returns the source lines of those rows."""
        key_at, line_at = self.header.index("key:string"), self.header.index("src_line:long")
        lines: set[int] = set()
        for g in (self, self._side):
            if g is None or not g._written:
                continue
            with g.path.open(encoding="utf-8", newline="") as fh:
                rows = list(csv.reader(fh))
            kept = [rows[0]]
            for cells in rows[1:]:
                if hash(cells[key_at]) in hashes:
                    lines.add(int(cells[line_at]))
                else:
                    kept.append(cells)
            with g.path.open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\n").writerows(kept)
            g.rows = len(kept) - 1
        return lines

    def close(self) -> list[tuple[ImportGroup, bool]]:
        """The files written: (group, multi-line)."""
        out = []
        if self._fh is not None:
            self._fh.close()
            self._fh = self._writer = None
            self._written = True
        if self._written:
            out.append((self, False))
        if self._side is not None:
            out += [(g, True) for g, _ in self._side.close()]
        return out


def node_group(folder: Path, label: str, key: str, props) -> ImportGroup:
    header = [f"{key}:ID({label})"] + [f"{n}:{t}" for n, t in props]
    return ImportGroup("nodes", label, folder / f"nodes-{label}.csv", header, tuple(props))


def relationship_group(folder: Path, rtype: str, start: str, end: str, props=()) -> ImportGroup:
    header = [f":START_ID({start})", f":END_ID({end})"] + [f"{n}:{t}" for n, t in props]
    return ImportGroup("relationships", rtype, folder / f"rels-{rtype}-{start}-{end}.csv", header, tuple(props))


@dataclass
class ImportPlan:
    """What `neo4j-admin database import` is given: (label or type, file) and the multi-line files."""

    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    multiline: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # rows per label or type

    def add(self, group: ImportGroup) -> None:
        """Closes the group and gives the tool the files it wrote."""
        for g, multi in group.close():
            (self.nodes if g.kind == "nodes" else self.relationships).append((g.name, g.path))
            self.counts[g.name] = self.counts.get(g.name, 0) + g.rows
            if multi:
                self.multiline.append(g.path)


class ImportSink:
    """Takes the accepted rows of each file (in file order) and writes the import files."""

    def __init__(self, folder: Path, load_id: str, bundle: str, at: datetime, department: str | None = None):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.load_id = load_id
        self.department = department
        self.bundle = bundle
        self.at = at
        self.held: dict[str, list[dict]] = {}  # file -> rows to write after the import, in order
        self.columns: dict[str, frozenset[str]] = {}
        self._seen: dict[str, set[int]] = {}
        self._authorities: set[str] = set()
        self._region_codes: set[str] | None = None
        self._region_links: dict[str, str] = {}
        f = folder
        self._g = {
            "Region": node_group(f, "Region", "code", _REGION),
            "Load": node_group(f, "Load", "load_id", _LOAD),
            "Enterprise": node_group(f, "Enterprise", "uscc",
                                     _props(models.EnterpriseRow, ENTERPRISE_FIELDS) + _SEARCH["Enterprise"]),
            "Person": node_group(f, "Person", "person_id", _props(models.PersonRow, PERSON_FIELDS) + _SEARCH["Person"]),
            "Record": node_group(f, "Record", "record_id",
                                  _props(models.RecordRow, (*RECORD_FIELDS, "status"))),
            "Authority": node_group(f, "Authority", "authority_id", _AUTHORITY),
            "PART_OF": relationship_group(f, "PART_OF", "Region", "Region"),
            "REGISTERED_IN/Enterprise": relationship_group(f, "REGISTERED_IN", "Enterprise", "Region"),
            "REGISTERED_IN/Person": relationship_group(f, "REGISTERED_IN", "Person", "Region"),
            "HOLDS_ROLE": relationship_group(f, "HOLDS_ROLE", "Person", "Enterprise",
                                     (("key", "string"), *_props(models.RoleRow, ROLE_FIELDS))),
            "HOLDS_SHARES/person": relationship_group(f, "HOLDS_SHARES", "Person", "Enterprise",
                                              (("key", "string"), *_props(models.HoldingRow, HOLDING_FIELDS))),
            "HOLDS_SHARES/enterprise": relationship_group(f, "HOLDS_SHARES", "Enterprise", "Enterprise",
                                                  (("key", "string"), *_props(models.HoldingRow, HOLDING_FIELDS))),
            "IN_REGION": relationship_group(f, "IN_REGION", "Authority", "Region"),
            "DECIDED_BY": relationship_group(f, "DECIDED_BY", "Record", "Authority"),
            "CONCERNS/enterprise": relationship_group(f, "CONCERNS", "Record", "Enterprise"),
            "CONCERNS/person": relationship_group(f, "CONCERNS", "Record", "Person"),
            "NAMES_RESPONSIBLE": relationship_group(f, "NAMES_RESPONSIBLE", "Record", "Person"),
        }
        self._g["Load"].write([load_id, bundle, _cell(at), "importing", "1", "initial", _text(department)])
        self._at = _cell(at)
        self._department = _text(department)
        self._convert = {
            "Enterprise": converters(_props(models.EnterpriseRow, ENTERPRISE_FIELDS)[:-len(_SRC)]),
            "Person": converters(_props(models.PersonRow, PERSON_FIELDS)[:-len(_SRC)]),
            "Record": converters(_props(models.RecordRow, (*RECORD_FIELDS, "status"))[:-len(_SRC)]),
            "HOLDS_ROLE": converters(_props(models.RoleRow, ROLE_FIELDS)[:-len(_SRC)]),
            "HOLDS_SHARES": converters(_props(models.HoldingRow, HOLDING_FIELDS)[:-len(_SRC)]),
        }

    # -- helpers --------------------------------------------------------------------------------

    def _src(self, file: str, line) -> list[str]:
        return [self.load_id, file, _number(line), self._at, self._department]

    def _first(self, file: str, key: str) -> bool:
        """False when the key came earlier in the file (the row is then held back). Keys are kept as
        hashes: a collision only sends a row down the transactional path, which is also right."""
        seen = self._seen.setdefault(file, set())
        h = hash(key)
        if h in seen:
            return False
        seen.add(h)
        return True

    def _node(self, group: str, ident: str, convert, row: dict, file: str, extra: tuple[str, ...] = ()) -> None:
        self._g[group].write([ident] + [f(row.get(n)) for n, f in convert] + self._src(file, row.get("line"))
                             + list(extra))

    def _search_cells(self, label: str, name: str | None) -> tuple[str, ...]:
        if label == "Person":
            keys = person_names(name)
            return _array(keys["search_keys"]), _array(keys["pinyin_keys"])
        keys = new_enterprise_names(name, self.load_id, self.at)
        return _array(keys["search_keys"]), _iso(keys["name_since"]), keys["name_load"]

    # -- the bundle -----------------------------------------------------------------------------

    def regions(self, extra: list[dict]) -> None:
        """The Region nodes and PART_OF links: the national table and the bundle's regions.csv
        rows (``extra``, with their provenance), as `ensure_regions` writes them."""
        rows = node_rows(extra)
        self._region_codes = {r["code"] for r in rows}
        # A subject under a retired code is linked to its successor, as loading/persons.cypher does.
        self._region_links = {r["code"]: r["successor"] for r in rows if r["successor"]}
        for r in rows:
            self._g["Region"].write([r["code"]] + [_cell(r.get(n)) for n, _ in _REGION])
        for r in rows:
            if r["parent_code"] and r["parent_code"] in self._region_codes:
                self._g["PART_OF"].write([r["code"], r["parent_code"]])

    def add(self, file: str, rows: list[dict], columns: frozenset[str]) -> int:
        """Writes the rows that create a node or relationship; holds back the others. Returns how
        many were written to the import files."""
        self.columns[file] = columns
        method = getattr(self, "_" + file.removesuffix(".csv"))
        written = 0
        for r in rows:
            if method(file, r):
                written += 1
            else:
                self.held.setdefault(file, []).append(r)
        return written

    def _registered(self, group: str, ident: str, code: str | None, successor: bool = False) -> None:
        if code is not None and code in self._region_codes:
            self._g[group].write([ident, self._region_links.get(code, code) if successor else code])

    def _registered_node(self, label: str, key: str, file: str, r: dict) -> bool:
        """An enterprise or person node and its REGISTERED_IN link."""
        if not self._first(file, r[key]):
            return False
        self._node(label, r[key], self._convert[label], r, file, self._search_cells(label, r.get("name")))
        self._registered(f"REGISTERED_IN/{label}", r[key], r.get("region_code"), successor=True)
        return True

    def _enterprises(self, file: str, r: dict) -> bool:
        return self._registered_node("Enterprise", "uscc", file, r)

    def _persons(self, file: str, r: dict) -> bool:
        return self._registered_node("Person", "person_id", file, r)

    def _roles(self, file: str, r: dict) -> bool:
        key = role_key(r["person_id"], r["uscc"], r["role"], r.get("start_on"))
        if not self._first(file, key):
            return False
        self._g["HOLDS_ROLE"].write([r["person_id"], r["uscc"], key]
                                    + [f(r.get(n)) for n, f in self._convert["HOLDS_ROLE"]]
                                    + self._src(file, r.get("line")))
        return True

    def _shareholdings(self, file: str, r: dict) -> bool:
        key = holding_key(r["holder_id"], r["uscc"], r.get("start_on"))
        if not self._first(file, key):
            return False
        self._g[f"HOLDS_SHARES/{r['holder_kind']}"].write(
            [r["holder_id"], r["uscc"], key] + [f(r.get(n)) for n, f in self._convert["HOLDS_SHARES"]]
            + self._src(file, r.get("line")))
        return True

    def _records(self, file: str, r: dict) -> bool:
        if not self._first(file, r["record_id"]):
            return False
        row = {**r, "status": "in_force"}
        row.setdefault("authority_id", f"{r['authority_region']}:{r['authority']}")
        rid, aid = r["record_id"], row["authority_id"]
        self._node("Record", rid, self._convert["Record"], row, file)
        if aid not in self._authorities:  # the first row names it, as MERGE ... ON CREATE does
            self._authorities.add(aid)
            self._g["Authority"].write([aid, _cell(r["authority"]), _cell(r["authority_region"])]
                                       + self._src(file, r.get("line")))
            self._registered("IN_REGION", aid, r["authority_region"])
        self._g["DECIDED_BY"].write([rid, aid])
        self._g[f"CONCERNS/{r['subject_kind']}"].write([rid, r["subject_id"]])
        for pid in dict.fromkeys(r.get("responsible_person_ids") or ()):
            self._g["NAMES_RESPONSIBLE"].write([rid, pid])
        return True

    # -- files written by a forked process (loaders.bundle.forked_files) -------------------------

    def opened(self) -> set[str]:
        """The groups whose files were written to."""
        return {k for k, g in self._g.items() if g.opened}

    def rows(self, keys) -> dict[str, int]:
        return {k: self._g[k].rows for k in keys}

    def keys_seen(self, file: str) -> set[int]:
        """The hashes of the keys of ``file`` written to the import files so far."""
        return self._seen.get(file, set())

    def flush(self) -> None:
        for g in self._g.values():
            for x in (g, g._side):
                if x is not None and x._fh is not None:
                    x._fh.flush()

    def detach(self, keys) -> dict[str, ImportGroup]:
        """Closes the groups ``keys`` and returns them, to be adopted by the sink of another process."""
        out = {}
        for k in keys:
            g = self._g[k]
            g.close()
            out[k] = g
        return out

    def part2(self, key: str) -> None:
        """Rows of group ``key`` go to a file of their own from now on (the second part of a bundle
        file, checked in a forked process while the first part fills the group's own file)."""
        g = self._g[key]
        if g.opened:
            raise RuntimeError(f"import file {key} is already being written")
        path = g.path.with_name(g.path.name.replace(f"-{g.name}-", f"-{g.name}-part2-", 1))
        self._g[key] = ImportGroup(g.kind, g.name, path, g.header, g.props)

    def adopt(self, key: str, group: ImportGroup) -> None:
        """Takes a group whose files another process wrote (its files are complete and closed)."""
        if key in self._g and self._g[key].opened:
            raise RuntimeError(f"import file {key} was written by two processes")
        self._g[key] = group

    def close(self) -> ImportPlan:
        if self._region_codes is None:
            raise RuntimeError("regions() was not called: the import would lack the region table")
        self._seen.clear()  # the keys of every row (at 1M, ~0.5 GB): what follows needs the room
        plan = ImportPlan()
        for g in self._g.values():
            plan.add(g)
        return plan
