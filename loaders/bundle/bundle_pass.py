"""One pass over a bundle (input-format.md): read the files in dependency order (regions,
enterprises, persons, roles, shareholdings, records), validate each row, check a chunk of rows
against the bundle and the graph, and hand the accepted rows on: to a write queue
(loaders.write_queue), to the import files of `load --initial` (loaders.initial.import_files), or
nowhere (a dry run). Only sets of ids and the holdings ledger stay in memory, so large bundles
stream.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import neo4j

from graph_service.facts.models import holding_key
from graph_service.regions import RegionRowError, ensure_regions, region_table
from graph_service.settings import neo4j_settings
from loaders.bundle import forked_files, split
from loaders.bundle.checks import HoldingsLedger, References
from loaders.bundle.csvfile import CsvFile, Part, RawRow, estimate_rows
from loaders.bundle.files import (
    ENTERPRISES,
    FILE_ORDER,
    FILES,
    PERSONS,
    REGION_COLUMNS,
    REGIONS,
    ROLES,
    new_load_result,
    open_bundle,
)
from loaders.bundle.result import FileCounts, Issue, LoadResult
from loaders.bundle.rows import Validated, validate_row
from loaders.bundle.validate_pool import ValidatorPool

Progress = Callable[[str, int, int], None]  # (file, rows done, estimated rows of the file)


class RowWriter(Protocol):
    """Where a writing pass sends its accepted rows (loaders.write_queue.WriteQueue)."""

    def submit(self, file: str, rows: list[dict], columns: frozenset[str]) -> None: ...

    def drain(self) -> None: ...


class BundlePass:
    """One pass over the bundle: validation only, or validation and handing the accepted rows to
    ``writer`` (its caller opens and closes it) or to ``sink`` (load --initial)."""

    def __init__(self, driver: neo4j.Driver | None, database: str, bundle: Path, files: list[str],
                 result: LoadResult, *, batch_size: int, progress: Progress | None,
                 writer: RowWriter | None = None, sink=None, graph_empty: bool = False,
                 validators: int = 1, fork_files: bool = False):
        self.driver = driver
        self.database = database
        self.bundle = bundle
        self.files = files
        self.result = result
        self.write = writer is not None
        self.batch_size = max(1, batch_size)
        self.progress = progress
        self.table = region_table()
        self.refs = References(driver, database, graph_empty=graph_empty)
        self.ledger = HoldingsLedger(driver, database, graph_empty=graph_empty)
        self.sink = sink  # load --initial: accepted rows go to import files (loaders.initial.import_files)
        self.record_ids: set[str] = set()
        self.writer = writer
        self.validators = validators  # > 1: rows are validated in that many processes
        # load --initial: some files are checked in forked processes meanwhile (_fork_beside)
        self.fork_files = fork_files
        self.parts: dict[str, Part] = {}  # files read in part only (the rest by a forked process)
        self.beside: list = []  # forked processes checking files now (loaders.bundle.forked_files), for progress
        self._row_counts: dict[str, int] = {}
        self._pool: ValidatorPool | None = None
        self._extra_regions: list[dict] = []

    # -- reporting ------------------------------------------------------------------------------

    def reject(self, file: str, line: int | None, column: str | None, value, reason: str) -> None:
        self.result.rejections.append(Issue(file, line, column, None if value is None else str(value), reason))

    def warn(self, file: str, line: int | None, column: str | None, value, reason: str) -> None:
        self.result.warnings.append(Issue(file, line, column, None if value is None else str(value),
                                          reason, level="warning"))
        self.result.files[file].warnings += 1

    def _ensure_regions(self, extra: Iterable[Mapping[str, object]] = ()) -> None:
        # Only a writing pass writes regions, and it writes through the driver.
        assert self.driver is not None, "a writing pass has a driver"
        ensure_regions(self.driver, self.database, extra=extra)

    # -- the pass -------------------------------------------------------------------------------

    def run(self) -> None:
        try:
            if REGIONS not in self.files and self.write:
                self._ensure_regions()
            elif REGIONS not in self.files and self.sink is not None:
                self.sink.regions([])
            forks = self.beside = []  # files checked by forked processes, not yet merged
            try:
                for name in self.files:
                    if any(name in f.files for f in forks):
                        continue
                    # Files a fork checks come before this one in file order: this one may refer to them.
                    for f in [f for f in forks if FILE_ORDER.index(f.files[-1]) < FILE_ORDER.index(name)]:
                        f.merge(self)
                        forks.remove(f)
                    if self.fork_files and (fork := self._fork_beside(name)) is not None:
                        forks.append(fork)
                    counts = self.result.files[name] = FileCounts()
                    started = time.monotonic()
                    self.check_file(name)
                    if self.writer is not None:
                        self.writer.drain()
                    counts.seconds = time.monotonic() - started
                while forks:
                    forks[0].merge(self)
                    forks.pop(0)
            finally:
                for f in forks:
                    f.stop()
        finally:
            # Cross-row checks run a chunk later than row checks: report in file and line order.
            order = {name: i for i, name in enumerate(FILE_ORDER)}
            key = lambda i: (order.get(i.file, -1), i.line or 0)  # noqa: E731
            self.result.rejections.sort(key=key)
            self.result.warnings.sort(key=key)
            if self._pool is not None:
                pool, self._pool = self._pool, None
                pool.close()

    def _fork_beside(self, name: str):
        """Files checked in a forked process (loaders.bundle.forked_files) while this one checks
        ``name``: persons.csv beside enterprises.csv (neither refers to the other); beside
        roles.csv, the files after it and the end of roles.csv itself where it can be cut. None when
        there is nothing to fork or the platform cannot."""
        if self.sink is None or not forked_files.available():
            return None
        if name == ENTERPRISES and PERSONS in self.files:
            return forked_files.ForkedFiles(self, [PERSONS])
        if name != ROLES:
            return None
        tail = self.files[self.files.index(name) + 1:]
        if not tail:
            return None
        parts = None
        if self._plain_header(name):
            parts = split.cut(self.bundle / name, 1 - forked_files.share(self._rows, name, tail))
        forked = forked_files.ForkedFiles(self, tail, (name, parts[1]) if parts else None)
        if parts:
            self.parts[name] = parts[0]
        return forked

    def _rows(self, name: str) -> int:
        """The rows of a bundle file as estimate_rows counts them, read once per pass."""
        if name not in self._row_counts:
            path = self.bundle / name
            self._row_counts[name] = estimate_rows(path) if path.exists() else 0
        return self._row_counts[name]

    def _plain_header(self, name: str) -> bool:
        """A header with every required column once: the file may be read in parts."""
        with CsvFile(self.bundle / name) as csvf:
            h = csvf.header
            return h is not None and not h.duplicates and all(c in h.columns for c in FILES[name].required)

    def check_file(self, name: str) -> None:
        """Reads, validates and checks the bundle file ``name`` (or its part in ``parts``)."""
        spec = FILES[name]
        counts = self.result.files[name]
        path = self.bundle / name
        total = self._rows(name)
        part = self.parts.get(name)
        with CsvFile(path, part) as csvf:
            if csvf.encoding_error is not None:
                counts.file_error = csvf.encoding_error
                self.reject(name, None, None, None, f"{csvf.encoding_error}; the whole file is rejected")
                return
            if csvf.header is None:
                counts.file_error = csvf.header_error
                self.reject(name, 1, None, None, f"{csvf.header_error}: the whole file is rejected")
                return
            header = csvf.header
            problems = [(c, f"column {c!r} appears more than once in the header") for c in header.duplicates]
            problems += [(c, f"required column {c!r} is missing") for c in spec.required
                         if c not in header.columns]
            if problems:
                n = sum(1 for _ in csvf)
                counts.read = counts.rejected = n
                for column, why in problems:
                    self.reject(name, 1, column, None, f"{why}: the whole file is rejected "
                                f"({n} row{'' if n == 1 else 's'})")
                return
            for c in header.columns:
                if c not in spec.known and (part is None or part.start == 0):  # once per file
                    self.warn(name, 1, c, None, f"unknown column {c!r} is ignored "
                              f"(known: {', '.join(spec.known)})")
            columns = frozenset(c for c in header.columns if c in spec.known)
            if name == REGIONS:
                self._regions(csvf, counts)
                return
            chunk: list[dict] = []
            for raw, outcome in self._outcomes(name, csvf):
                counts.read += 1
                row = self._take(name, raw.line, outcome, counts)
                if row is not None:
                    chunk.append(row)
                    if len(chunk) >= self.batch_size:
                        self._flush(name, chunk, columns, counts)
                        chunk = []
                if self.progress and counts.read % 1000 == 0:
                    self._report(name, counts.read, total)
            if chunk:
                self._flush(name, chunk, columns, counts)
        if self.progress:
            if part is not None and self.beside:  # the rest of the file is still being checked beside
                self._report(name, counts.read, total)
            else:
                self.progress(name, counts.read, counts.read)

    def _report(self, name: str, done: int, total: int) -> None:
        """Progress of ``name``, and of the files forked processes check meanwhile: their rows of
        ``name`` count in its bar (one bar per file, not a bar that ends early and then jumps)."""
        if self.progress is None:
            return
        for fork in self.beside:
            for file, rows in fork.rows_done().items():
                if file == name:
                    done += rows
                elif rows:
                    self.progress(file, rows, max(self._rows(file), rows))
        self.progress(name, done, max(total, done))

    def _outcomes(self, name: str, rows) -> Iterator[tuple[RawRow, Validated]]:
        if self.validators <= 1:
            known = self.refs.known("enterprise")
            return ((raw, validate_row(name, raw, self.table, known)) for raw in rows)
        if self._pool is None:
            self._pool = ValidatorPool(self.validators, self._extra_regions)
        return self._pool.validate(name, rows)

    def _take(self, name: str, line: int, outcome: Validated, counts: FileCounts) -> dict | None:
        row, rejections, warnings, rejected_id = outcome
        for column, value, why in rejections:
            self.reject(name, line, column, value, why)
        for column, value, why in warnings:
            self.warn(name, line, column, value, why)
        if rejected_id is not None:
            self.refs.rejected(rejected_id[0], rejected_id[1], line)
        if row is None:
            counts.rejected += 1
        return row

    # -- checks across rows ---------------------------------------------------------------------

    def _flush(self, name: str, rows: list[dict], columns: frozenset[str], counts: FileCounts) -> None:
        accepted = getattr(self, f"_accept_{name.removesuffix('.csv')}")(name, rows, columns)
        counts.rejected += len(rows) - len(accepted)
        if not accepted:
            return
        if self.writer is not None:
            self.writer.submit(name, accepted, columns)
        elif self.sink is not None:
            imported = self.sink.add(name, accepted, columns)
            counts.loaded += imported  # the held-back rest counts when it is written
            counts.changed += imported
        else:
            counts.loaded += len(accepted)

    def _accept_enterprises(self, name, rows, columns):
        for r in rows:
            if not self.refs.add("enterprise", r["uscc"]):
                self.warn(name, r["line"], "uscc", r["uscc"],
                          "this enterprise appears more than once in the file: the last row wins")
        return rows

    def _accept_persons(self, name, rows, columns):
        for r in rows:
            if not self.refs.add("person", r["person_id"]):
                self.warn(name, r["line"], "person_id", r["person_id"],
                          "this person appears more than once in the file: the last row wins")
        return rows

    def _check_refs(self, name: str, row: dict, wanted: list[tuple[str, str, str]]) -> bool:
        ok = True
        for kind, column, ident in wanted:
            if not self.refs.exists(kind, ident):
                self.reject(name, row["line"], column, ident, self.refs.missing_reason(kind, ident))
                ok = False
        return ok

    def _accept_roles(self, name, rows, columns):
        self.refs.resolve("person", (r["person_id"] for r in rows))
        self.refs.resolve("enterprise", (r["uscc"] for r in rows))
        return [r for r in rows if self._check_refs(
            name, r, [("person", "person_id", r["person_id"]), ("enterprise", "uscc", r["uscc"])])]

    def _accept_shareholdings(self, name, rows, columns):
        self.refs.resolve("person", (r["holder_id"] for r in rows if r["holder_kind"] == "person"))
        self.refs.resolve("enterprise", [r["uscc"] for r in rows] +
                          [r["holder_id"] for r in rows if r["holder_kind"] == "enterprise"])
        self.ledger.prepare(r["uscc"] for r in rows)
        accepted = []
        for r in rows:
            if not self._check_refs(name, r, [(r["holder_kind"], "holder_id", r["holder_id"]),
                                              ("enterprise", "uscc", r["uscc"])]):
                continue
            why = self.ledger.admit(holding_key(r["holder_id"], r["uscc"], r["start_on"]), r["uscc"],
                                    r["ratio"], r["start_on"], r["end_on"], r["line"],
                                    keep_stored_end="end_on" not in columns)
            if why is not None:
                self.reject(name, r["line"], "ratio", r["ratio"], why)
                continue
            accepted.append(r)
        return accepted

    def _accept_records(self, name, rows, columns):
        self.refs.resolve("enterprise", (r["subject_id"] for r in rows if r["subject_kind"] == "enterprise"))
        self.refs.resolve("person", [r["subject_id"] for r in rows if r["subject_kind"] == "person"] +
                          [p for r in rows for p in r["responsible_person_ids"]])
        accepted = []
        for r in rows:
            ok = self._check_refs(name, r, [(r["subject_kind"], "subject_id", r["subject_id"])])
            missing = [p for p in r["responsible_person_ids"] if not self.refs.exists("person", p)]
            if missing:
                ok = False
                self.reject(name, r["line"], "responsible_person_ids", ";".join(missing),
                            "; ".join(self.refs.missing_reason("person", p) for p in missing))
            if not ok:
                continue
            if r["record_id"] in self.record_ids:
                self.warn(name, r["line"], "record_id", r["record_id"],
                          "this record appears more than once in the file: the last row wins")
            self.record_ids.add(r["record_id"])
            accepted.append(r)
        return accepted

    # -- regions.csv ----------------------------------------------------------------------------

    def _regions(self, csvf: CsvFile, counts: FileCounts) -> None:
        """A small file: read whole, since a row's parent may come later in it."""
        rows: list[tuple[int, dict]] = []
        for raw in csvf:
            counts.read += 1
            if raw.error is not None:
                counts.rejected += 1
                self.reject(REGIONS, raw.line, raw.column, raw.value, raw.error)
                continue
            cells = raw.cells
            assert cells is not None, "a row without an error has its cells"
            rows.append((raw.line, {k: cells.get(k, "") for k in REGION_COLUMNS}))
        national = region_table()
        bad: dict[int, RegionRowError] = {}
        while True:  # drop rows until every remaining parent is known
            batch = [r["code"].strip() for line, r in rows if line not in bad]
            newly = {}
            for line, r in rows:
                if line in bad:
                    continue
                try:
                    national.region_from_row(r, batch)
                except RegionRowError as exc:
                    newly[line] = exc
            if not newly:
                break
            bad.update(newly)
        valid = []
        for line, r in rows:
            if line in bad:
                counts.rejected += 1
                self.reject(REGIONS, line, bad[line].field, r.get(bad[line].field), bad[line].reason)
            elif national.exists(r["code"].strip()):
                counts.rejected += 1
                self.reject(REGIONS, line, "code", r["code"],
                            "this code is already in the national GB/T 2260 table: a bundle only "
                            "adds codes the table lacks")
            else:
                valid.append((line, r))
        self.table = national.with_extra(r for _, r in valid)
        self._extra_regions = [r for _, r in valid]
        if self.write or self.sink is not None:
            at = self.sink.at if self.sink is not None else datetime.now(UTC)
            extra = [{**r, "src_load": self.result.load_id, "src_file": REGIONS, "src_line": line,
                      "src_at": at, "src_department": self.result.department} for line, r in valid]
            if self.sink is not None:
                self.sink.regions(extra)
            else:
                self._ensure_regions(extra)
        counts.loaded += len(valid)


def check_bundle(bundle_dir: str | Path, *, department: str | None = None, batch_size: int = 5000) -> LoadResult:
    """Validates a bundle as a load into an empty graph does, without Neo4j: every check of a row
    and every check across the bundle's rows (references, the holdings ceiling, repeated keys);
    a reference to what only the graph holds is reported as missing. Writes nothing. Raises
    BundleError when there is nothing to check."""
    started = time.monotonic()
    bundle, files, load_id = open_bundle(bundle_dir, department)
    result = new_load_result(bundle, load_id, dry_run=True, department=department)
    BundlePass(None, neo4j_settings().database, bundle, files, result, batch_size=batch_size,
               progress=None, graph_empty=True).run()
    result.elapsed = time.monotonic() - started
    return result
