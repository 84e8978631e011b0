"""The GB/T 2260 region table (graph_service/data/regions.csv) and its Region nodes in Neo4j.

The table holds every code in use since 1980, retired ones included, because identifiers keep the
code of their first registration (domain.md 7.3). Hierarchy: county → city → province; codes that
only group others (市辖区 …) are level ``aggregate``. A retired code names its ``successor``, the
code in use today that took it over: subjects registered under a retired code count in the
successor for scope and reach (docs/regions.md). How the CSV is built: scripts/build_regions.py
and data/regions.SOURCE.txt.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import neo4j

from graph_service.cypher import query
from graph_service.errors import ServiceError

REGIONS_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"
LEVELS = ("province", "city", "county", "aggregate")
SOURCE_NATIONAL = "GB/T 2260"
SOURCE_BUNDLE = "bundle"
BATCH = 2000
_CODE = re.compile(r"^\d{6}$")
_PROVENANCE = ("src_load", "src_file", "src_line", "src_at", "src_department")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent_code: str | None
    valid_from: int | None = None  # first year in use; None: since before 1980
    valid_to: int | None = None  # last year in use (inclusive); None: still in use
    retired: bool = False
    successor: str | None = None  # a retired code: the code in use that took it over

    def in_use(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to)


class RegionRowError(ServiceError, ValueError):
    """A bad row of a bundle's regions.csv; ``field`` names the column."""

    status, code = 422, "invalid_region"

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def default_level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


class RegionTable:
    def __init__(self, regions: Iterable[Region], extra_codes: Iterable[str] = ()):
        self._by_code: dict[str, Region] = {r.code: r for r in regions}
        # Codes a bundle added (with_extra), so ensure_regions can write them with provenance.
        self.extra_codes: frozenset[str] = frozenset(extra_codes)

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Region | None:
        return self._by_code.get(code)

    def exists(self, code: str) -> bool:
        return code in self._by_code

    def effective(self, code: str) -> str:
        """The code a subject registered under ``code`` counts in: the successor of a retired
        code, else the code itself."""
        r = self._by_code.get(code)
        return r.successor if r is not None and r.successor else code

    def ancestors(self, code: str) -> list[str]:
        """The code itself first, then its parents up to the province; [] for an unknown code."""
        out: list[str] = []
        cur = self._by_code.get(code)
        while cur is not None and cur.code not in out:
            out.append(cur.code)
            cur = self._by_code.get(cur.parent_code) if cur.parent_code else None
        return out

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        children: dict[str, list[str]] = {}
        for r in self._by_code.values():
            if r.parent_code:
                children.setdefault(r.parent_code, []).append(r.code)
        return children

    def children(self, code: str) -> list[str]:
        return sorted(self._children.get(code, ()))

    def descendants(self, code: str) -> list[str]:
        """Every code below ``code`` (not the code itself), retired ones included, sorted."""
        seen: set[str] = set()
        todo = list(self._children.get(code, ()))
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(self._children.get(c, ()))
        return sorted(seen)

    def region_from_row(self, row: Mapping[str, object], batch_codes: Iterable[str] = ()) -> Region:
        """A Region from a bundle row (code,name,parent_code,level); RegionRowError when bad.

        ``batch_codes``: codes added by the same bundle, which may serve as parents.
        """
        code = str(row.get("code") or "").strip()
        if not _CODE.match(code):
            raise RegionRowError("code", f"region code must be 6 digits, got {code!r}")
        name = str(row.get("name") or "").strip()
        if not name:
            raise RegionRowError("name", "region name is empty")
        level = str(row.get("level") or "").strip() or default_level(code)
        if level not in LEVELS:
            raise RegionRowError("level", f"level must be one of {', '.join(LEVELS)}, got {level!r}")
        known = set(batch_codes) | self._by_code.keys()
        parent = str(row.get("parent_code") or "").strip() or None
        if parent is None and level != "province":
            city, province = code[:4] + "00", code[:2] + "0000"
            parent = city if city != code and city in known else province
        if parent is not None:
            if parent == code:
                raise RegionRowError("parent_code", "a region cannot be its own parent")
            if parent not in known:
                raise RegionRowError("parent_code", f"parent region {parent} is neither in the "
                                     "national table nor in the bundle's regions.csv")
        return Region(code, name, level, parent)

    def with_extra(self, rows: Iterable[Mapping[str, object]]) -> RegionTable:
        """This table plus a bundle's regions.csv rows (code,name,parent_code,level).

        Rows for codes the table already has are ignored: the bundle only adds codes the national
        table lacks (input-format.md). Raises RegionRowError for a bad row.
        """
        rows = list(rows)
        batch = {str(r.get("code") or "").strip() for r in rows}
        added: dict[str, Region] = {}
        for row in rows:
            region = self.region_from_row(row, batch)
            if region.code not in self._by_code:
                added[region.code] = region
        return RegionTable([*self._by_code.values(), *added.values()],
                           self.extra_codes | added.keys())


def _int_or_none(s: str) -> int | None:
    return int(s) if s else None


def read_regions_csv(path: Path = REGIONS_CSV) -> RegionTable:
    with path.open(encoding="utf-8", newline="") as fh:
        return RegionTable(
            Region(
                code=r["code"], name=r["name"], level=r["level"],
                parent_code=r["parent_code"] or None,
                valid_from=_int_or_none(r["valid_from"]), valid_to=_int_or_none(r["valid_to"]),
                retired=r["retired"] == "true", successor=r["successor"] or None,
            )
            for r in csv.DictReader(fh)
        )


@lru_cache(maxsize=1)
def region_table() -> RegionTable:
    """The national table shipped with the project (read once)."""
    return read_regions_csv()


def _node_row(r: Region, source: str, provenance: Mapping[str, object] | None = None) -> dict:
    row: dict[str, object] = {"code": r.code, "name": r.name, "level": r.level, "parent_code": r.parent_code,
           "valid_from": r.valid_from, "valid_to": r.valid_to, "retired": r.retired,
           "successor": r.successor, "source": source}
    for key in _PROVENANCE:
        row[key] = (provenance or {}).get(key)
    return row


def _extra_rows(national: RegionTable, extra: list[Mapping[str, object]]) -> list[dict]:
    if not extra:
        return []
    table = national.with_extra(extra)
    by_code = {str(e.get("code") or "").strip(): e for e in extra}
    return [_node_row(r, SOURCE_BUNDLE, by_code[c]) for c in sorted(table.extra_codes) if (r := table.get(c))]


def node_rows(extra: Iterable[Mapping[str, object]] = ()) -> list[dict]:
    """The rows `ensure_regions` writes into an empty graph: the national table, then ``extra``."""
    national = region_table()
    return [_node_row(r, SOURCE_NATIONAL) for r in national] + _extra_rows(national, list(extra))


def _batches(rows: list[dict]) -> Iterator[list[dict]]:
    for i in range(0, len(rows), BATCH):
        yield rows[i:i + BATCH]


def ensure_regions(driver: neo4j.Driver, database: str | None = None,
                   extra: Iterable[Mapping[str, object]] = ()) -> int:
    """Write the Region nodes and PART_OF relationships of the national table (and of ``extra``,
    a bundle's regions.csv rows, which may carry src_load/src_file/src_line/src_at).

    Idempotent (MERGE on code). A no-op when the graph already holds as many national regions
    as the table, with their successors, and there is no extra. Returns the number of Region rows written.
    """
    if database is None:
        from graph_service.settings import neo4j_settings

        database = neo4j_settings().database
    national = region_table()
    rows: list[dict] = []
    records, _, _ = driver.execute_query(query("regions/count"), source=SOURCE_NATIONAL,
                                         database_=database)
    successors = sum(r.successor is not None for r in national)
    stale = records[0]["n"] != len(national) or records[0]["successors"] != successors
    if stale:
        rows = [_node_row(r, SOURCE_NATIONAL) for r in national]
    rows += _extra_rows(national, list(extra))
    for batch in _batches(rows):
        driver.execute_query(query("regions/upsert"), rows=batch, database_=database)
    links = [{"code": r["code"], "parent_code": r["parent_code"]} for r in rows if r["parent_code"]]
    for batch in _batches(links):
        driver.execute_query(query("regions/upsert_links"), rows=batch, database_=database)
    if stale:
        # Subjects loaded before successors were kept; their records' reach needs
        # `credit-graph propagate --all` (docs/regions.md).
        driver.execute_query(query("regions/upsert_successor_links"), database_=database)
    return len(rows)


__all__ = ["LEVELS", "Region", "RegionRowError", "RegionTable", "default_level", "ensure_regions",
           "node_rows", "read_regions_csv", "region_table"]
