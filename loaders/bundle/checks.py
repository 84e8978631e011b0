"""Checks across rows: references to persons and enterprises, and the 100 % ceiling on holdings.

Both look at the bundle (the valid rows seen so far) and at the graph (batched reads), so a row
may refer to what an earlier load wrote, and never to something that exists nowhere.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import date

import neo4j

from graph_service.cypher import query
from graph_service.facts.models import RATIO_TOLERANCE

_READ_CHUNK = 10_000
# Ordinals standing for an open start ("since ever") and an open end ("still holds").
OPEN_START = 0
OPEN_END = date.max.toordinal() + 1
_WIDTH = 5  # doubles per packed ledger entry

_SOURCE_FILE = {"enterprise": "enterprises.csv", "person": "persons.csv"}
_EXISTING = {"enterprise": "loading/existing_enterprises", "person": "loading/existing_persons"}


class References:
    """Which enterprises and persons exist: in the bundle (valid rows) or in the graph."""

    def __init__(self, driver: neo4j.Driver | None, database: str, *, graph_empty: bool = False):
        self._driver = driver
        self._database = database
        self._graph_empty = graph_empty  # nothing to look up (load --initial checked it)
        self._found: dict[str, set[str]] = {"enterprise": set(), "person": set()}
        self._absent: dict[str, set[str]] = {"enterprise": set(), "person": set()}
        self._rejected: dict[str, dict[str, int]] = {"enterprise": {}, "person": {}}

    def add(self, kind: str, ident: str) -> bool:
        """Records a valid row of the bundle; False when the id was already seen in the file."""
        found = self._found[kind]
        if ident in found:
            return False
        found.add(ident)
        return True

    def rejected(self, kind: str, ident: str, line: int) -> None:
        self._rejected[kind].setdefault(ident, line)

    def of(self, kind: str) -> tuple[set[str], dict[str, int]]:
        """The ids of ``kind`` seen in the bundle and the rejected ones (with their lines)."""
        return self._found[kind], self._rejected[kind]

    def absorb(self, kind: str, found: set[str], rejected: dict[str, int]) -> None:
        """Takes what another process's pass saw of ``kind`` (loaders.bundle.forked_files)."""
        self._found[kind] |= found
        for ident, line in rejected.items():
            self._rejected[kind].setdefault(ident, line)

    def resolve(self, kind: str, ids: Iterable[str]) -> None:
        """Looks up in the graph, in a few reads, the ids neither seen nor looked up before."""
        found, absent = self._found[kind], self._absent[kind]
        todo = sorted({i for i in ids if i not in found and i not in absent})
        if self._graph_empty:
            absent.update(todo)
            return
        assert self._driver is not None, "only a pass into an empty graph has no driver"
        for start in range(0, len(todo), _READ_CHUNK):
            chunk = todo[start:start + _READ_CHUNK]
            records, _, _ = self._driver.execute_query(
                query(_EXISTING[kind]), ids=chunk, database_=self._database,
                routing_=neo4j.RoutingControl.READ)
            hits = {r["id"] for r in records}
            found.update(hits)
            absent.update(set(chunk) - hits)

    def known(self, kind: str) -> set[str]:
        """The ids known to exist so far (live: it grows as rows are read)."""
        return self._found[kind]

    def exists(self, kind: str, ident: str) -> bool:
        return ident in self._found[kind]

    def missing_reason(self, kind: str, ident: str) -> str:
        source = _SOURCE_FILE[kind]
        line = self._rejected[kind].get(ident)
        if line is not None:
            return (f"{kind} {ident} is not in the graph and its row in {source} "
                    f"(line {line}) was rejected")
        return f"{kind} {ident} is neither in {source} nor already in the graph"


def _ordinal(d: date | None, open_value: int) -> int:
    return open_value if d is None else d.toordinal()


def _describe_point(at: int) -> str:
    return "before any known date" if at == OPEN_START else f"on {date.fromordinal(at)}"


class HoldingsLedger:
    """The holdings into each enterprise seen so far (from the graph and from earlier rows), to
    reject a row that would bring the ratios into one enterprise above 1 on some day.

    An entry is (key hash, start, end, ratio, line): ordinals of the half-open interval, line None
    for a holding read from the graph. A row with the key of a known holding replaces it. To keep
    the ledger of a million enterprises small, each enterprise's entries are packed as doubles in
    one array and the keys kept as hashes (compared only among the holdings of one enterprise).
    """

    def __init__(self, driver: neo4j.Driver | None, database: str, *, graph_empty: bool = False):
        self._driver = driver
        self._database = database
        self._graph_empty = graph_empty
        self._by_target: dict[str, array] = {}

    @staticmethod
    def _unpack(packed: array) -> list[tuple]:
        return [(packed[i], int(packed[i + 1]), int(packed[i + 2]), packed[i + 3],
                 None if packed[i + 4] < 0 else int(packed[i + 4]))
                for i in range(0, len(packed), _WIDTH)]

    @staticmethod
    def _pack(entries: list[tuple]) -> array:
        return array("d", [v for h, s, e, r, line in entries
                           for v in (h, s, e, r, -1 if line is None else line)])

    def prepare(self, usccs: Iterable[str]) -> None:
        todo = sorted({u for u in usccs if u not in self._by_target})
        stored: dict[str, list[tuple]] = {u: [] for u in todo}
        for start in range(0, 0 if self._graph_empty else len(todo), _READ_CHUNK):
            assert self._driver is not None, "only a pass into an empty graph has no driver"
            records, _, _ = self._driver.execute_query(
                query("loading/existing_holdings"), usccs=todo[start:start + _READ_CHUNK],
                database_=self._database, routing_=neo4j.RoutingControl.READ)
            for r in records:
                stored[r["uscc"]].append((
                    float(hash(r["key"])), _ordinal(r["start_on"], OPEN_START),
                    _ordinal(r["end_on"], OPEN_END), r["ratio"] or 0.0, None))
        for u, entries in stored.items():
            self._by_target[u] = self._pack(entries)

    def admit(self, key: str, uscc: str, ratio: float, start_on: date | None,
              end_on: date | None, line: int, keep_stored_end: bool = False) -> str | None:
        """Adds the holding and returns None, or returns why it would exceed 100 %.

        ``keep_stored_end``: the file has no end_on column, so a known holding keeps its end.
        """
        entries = self._unpack(self._by_target.get(uscc, array("d")))
        h = float(hash(key))
        at_index = next((i for i, e in enumerate(entries) if e[0] == h), None)
        others = [e for e in entries if e[0] != h]
        s = _ordinal(start_on, OPEN_START)
        e = (entries[at_index][2] if keep_stored_end and at_index is not None
             else _ordinal(end_on, OPEN_END))
        if s < e:
            peak, at = self._peak(others, s, e)
            if peak + ratio > 1 + RATIO_TOLERANCE:
                return self._reason(uscc, ratio, peak, at, others)
        entry = (h, s, e, ratio, line)
        if at_index is not None:
            entries[at_index] = entry
        else:
            entries.append(entry)
        self._by_target[uscc] = self._pack(entries)
        return None

    @staticmethod
    def _peak(others: list[tuple], s: int, e: int) -> tuple[float, int]:
        """The highest sum of the other ratios on a day within [s, e), and the first such day."""
        events: list[tuple[int, int, float]] = []
        for _, a, b, r, _ in others:
            if a < b and a < e and b > s:
                events.append((max(a, s), 1, r))
                if b < e:
                    events.append((b, 0, -r))
        if not events:
            return 0.0, s
        # At one day, holdings that end there are gone before those that start there count.
        events.sort(key=lambda ev: (ev[0], ev[1]))
        total = best = 0.0
        at = s
        for pos, _, delta in events:
            total += delta
            if total > best + 1e-12:
                best, at = total, pos
        return best, at

    @staticmethod
    def _reason(uscc: str, ratio: float, peak: float, at: int, others: list[tuple]) -> str:
        active = [o for o in others if o[1] <= at < o[2]]
        lines = sorted(o[4] for o in active if o[4] is not None)
        stored = sum(1 for o in active if o[4] is None)
        parts = []
        if lines:
            parts.append(f"line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}")
        if stored:
            parts.append(f"{stored} holding{'s' if stored > 1 else ''} already in the graph")
        return (f"holdings into {uscc} would add up to {peak + ratio:.6g} {_describe_point(at)} "
                f"(> 1): this row's {ratio:g} plus {peak:.6g} from {' and '.join(parts)}")
