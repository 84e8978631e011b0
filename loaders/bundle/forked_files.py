"""`load --initial`: bundle files checked in a forked process while the main one checks others.
Checking is one core of Python, and the second core is idle meanwhile (the server is stopped, the
import tool not started yet). Two forks: persons.csv beside enterprises.csv (neither refers to the
other; the persons' ids come back for the references of later files), then the files after
roles.csv (shareholdings, records) and the end of roles.csv beside the rest of roles.csv, the
largest file. At 100k: 20.5 s in one process, 10.6 s with both forks.

Why this cut: once enterprises and persons are known, roles, holdings and records depend only on
them (references), on themselves (repeated keys, the holdings ledger) and on nothing of each other.
The child inherits the pass as it stands (fork), checks its rows as the pass would, writes their
import files (its part of roles.csv to a file of its own) and sends back what the main process
needs: counts, rejections and warnings, the rows held back, the keys its part imported, the import
files it wrote. Rows do not cross (sending them made a pool of validators slower than one process,
see loaders.bundle.validate_pool). roles.csv is cut between two records (loaders.bundle.split) so
that both processes end together; a key repeated across the cut is moved to the held rows
afterwards.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from collections.abc import Callable
from typing import Any

from graph_service.errors import ServiceError
from loaders.bundle.csvfile import CsvFile, Part
from loaders.bundle.result import FileCounts
from loaders.bundle.rows import validate_row


class ForkFailed(ServiceError, RuntimeError):
    pass


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


# Seconds per row of checking, relative to roles.csv (measured at 100k): how much of roles.csv the
# forked process takes so both end together.
WEIGHT = {"roles.csv": 1.0, "shareholdings.csv": 1.6, "records.csv": 2.2}


def share(rows: Callable[[str], int], name: str, tail: list[str]) -> float:
    """The fraction of ``name`` to give the forked process besides the files ``tail`` (``rows``: the
    rows of a file)."""
    if not rows(name):
        return 0.0
    work = sum(rows(f) * WEIGHT.get(f, 1.0) for f in tail)
    mine = rows(name) * WEIGHT.get(name, 1.0)
    return min(0.5, max(0.0, (mine - work) / (2 * mine)))


class ForkedFiles:
    """The files ``files`` of ``pass_`` (a loaders.bundle.BundlePass writing to an ImportSink), and
    the part ``split`` = (file, part) of one more, checked in a child process; ``merge`` waits for
    it and takes its results into the pass."""

    def __init__(self, pass_, files: list[str], split: tuple[str, Part] | None = None):
        self.files = files
        self.split = split
        sink = pass_.sink
        self._open_before = sink.opened()
        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        # Rows checked so far per file the child checks (its part of a split file first), in memory
        # both processes share: the main process shows them in the files' progress bars.
        self._names = ([split[0]] if split else []) + files
        self._done = ctx.Array("q", len(self._names), lock=False)
        # Buffered rows of the main process's open files would otherwise be written twice.
        sink.flush()
        self._proc = ctx.Process(target=_child, args=(pass_, files, split, self._open_before, send,
                                                     self._counter()), daemon=True, name="credit-graph-validate")
        self._proc.start()
        send.close()

    def _counter(self) -> Callable[[str, int, int], None]:
        """The child's progress: rows done per file, into the shared counters."""
        at, done = {n: i for i, n in enumerate(self._names)}, self._done

        def count(name: str, rows: int, total: int) -> None:
            if name in at:
                done[at[name]] = rows
        return count

    def rows_done(self) -> dict[str, int]:
        """Rows the child has checked so far, per file."""
        return dict(zip(self._names, self._done))

    def merge(self, pass_) -> None:
        try:
            status, payload = self._recv.recv()
        except EOFError:
            self._proc.join()
            raise ForkFailed(f"the process checking {self._what()} ended without a result "
                             f"(exit status {self._proc.exitcode})") from None
        finally:
            self._recv.close()
        self._proc.join()
        if status != "ok":
            raise ForkFailed(f"checking {self._what()} failed:\n{payload}")
        result, sink = pass_.result, pass_.sink
        if self.split is not None:
            self._merge_split(pass_, payload, self.split)
        for name in self.files:  # in file order, as the pass would have added them
            if name in payload["files"]:
                counts = result.files[name] = payload["files"][name]
                if pass_.progress:
                    pass_.progress(name, counts.read, counts.read)
        for kind, (found, rejected) in payload["refs"].items():
            pass_.refs.absorb(kind, found, rejected)
        result.rejections += payload["rejections"]
        result.warnings += payload["warnings"]
        for name, rows in payload["held"].items():
            if self.split is None or name != self.split[0]:
                sink.held.setdefault(name, []).extend(rows)
        for name, columns in payload["columns"].items():
            sink.columns.setdefault(name, columns)
        for key, group in payload["groups"].items():
            if self.split is not None and key == _SPLIT_GROUP[self.split[0]]:
                sink.adopt(key + "/part2", group)
            else:
                sink.adopt(key, group)

    def _merge_split(self, pass_, payload, split: tuple[str, Part]) -> None:
        """The second part of a file: its counts added to the first part's, its held rows after
        the first part's. A key the first part also imported makes the second part's row an
        update: it leaves the import file for the held rows (rare: a key repeated across the cut)."""
        name, part = split
        result, sink = pass_.result, pass_.sink
        mine, theirs = result.files[name], payload["split_counts"]
        for f in ("read", "loaded", "changed", "rejected", "warnings"):
            setattr(mine, f, getattr(mine, f) + getattr(theirs, f))
        mine.seconds = max(mine.seconds, theirs.seconds)
        held = sink.held.pop(name, [])
        twice = payload["seen"] & sink.keys_seen(name)
        if twice:
            group = payload["groups"][_SPLIT_GROUP[name]]
            moved = group.drop_keys(twice)
            mine.loaded -= len(moved)
            mine.changed -= len(moved)
            held += _revalidate(pass_, name, part, moved)
        held += payload["held"].get(name, [])
        if held:  # in file order: a key's later row is written after its earlier one
            sink.held[name] = sorted(held, key=lambda r: r["line"])
        if pass_.progress:
            pass_.progress(name, mine.read, mine.read)

    def _what(self) -> str:
        names = ([f"the end of {self.split[0]}"] if self.split else []) + self.files
        return ", ".join(names)

    def stop(self) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._recv.close()


# The files whose rows define what later rows may refer to.
_DEFINES = {"enterprises.csv": "enterprise", "persons.csv": "person"}

# The import group a split file writes to (loaders.initial.import_files.ImportSink).
_SPLIT_GROUP = {"roles.csv": "HOLDS_ROLE"}


def _revalidate(pass_, name: str, part: Part, lines: set[int]) -> list[dict]:
    """The validated rows at ``lines`` of the part (they passed once: they pass again)."""
    known = pass_.refs.known("enterprise")
    rows = []
    with CsvFile(pass_.bundle / name, part) as csvf:
        for raw in csvf:
            if raw.line in lines:
                row, rejections, _, _ = validate_row(name, raw, pass_.table, known)
                if row is None:
                    raise ForkFailed(f"{name} line {raw.line}: passed in one process, rejected in the other: "
                                     f"{rejections}")
                rows.append(row)
    return rows


def _child(pass_, files: list[str], split, open_before: set[str], send, progress) -> None:
    status = "ok"
    payload: dict[str, Any] | str | None = None  # the results, or the traceback of a failure
    try:
        # Progress goes to the counters the main process reads (ForkedFiles.rows_done).
        pass_.progress = progress if pass_.progress else None
        pass_.beside = []
        result, sink = pass_.result, pass_.sink
        n_rej, n_warn = len(result.rejections), len(result.warnings)
        before = sink.rows(open_before)
        names = list(files)
        if split is not None:
            name, part = split
            pass_.parts[name] = part
            sink.part2(_SPLIT_GROUP[name])
            names.insert(0, name)
        for name in names:
            counts = result.files[name] = FileCounts()
            started = time.monotonic()
            pass_.check_file(name)
            counts.seconds = time.monotonic() - started
        shared = [k for k, rows in sink.rows(open_before).items() if before[k] != rows]
        if shared:
            raise ForkFailed(f"{', '.join(names)} wrote to import files the main process had open "
                             f"({', '.join(shared)}): they cannot be checked in a separate process")
        payload = {
            "files": {n: result.files[n] for n in files if n in result.files},
            "rejections": result.rejections[n_rej:],
            "warnings": result.warnings[n_warn:],
            "held": {n: rows for n, rows in sink.held.items() if n in names},
            "columns": {n: c for n, c in sink.columns.items() if n in names},
            "groups": sink.detach(sink.opened() - open_before),
            # The ids a file of enterprises or persons adds, for the references of later files.
            "refs": {kind: pass_.refs.of(kind) for f, kind in _DEFINES.items() if f in names},
        }
        if split is not None:
            payload["split_counts"] = result.files[split[0]]
            payload["seen"] = sink.keys_seen(split[0])
    except BaseException:
        status, payload = "error", traceback.format_exc()
    try:
        send.send((status, payload))
        send.close()
    finally:
        # No exit handlers: the main process's open files and the pass's state are not the child's.
        os._exit(0)
