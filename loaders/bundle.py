"""Loading a CSV bundle (input-format.md): validate row by row, check references, write in batches.

One pass reads the files in dependency order (regions, enterprises, persons, roles, shareholdings,
records), validates each row, checks a chunk of rows against the bundle and the graph, and hands
the accepted rows to a writer thread, which writes them in batches while the next chunk is being
validated. Only sets of ids and the holdings ledger stay in memory, so large bundles stream.

Idempotent and resumable: every write is an upsert by key that leaves unchanged facts as they
were, and the load id is derived from the bundle's content, so running a bundle again, after a
crash half way or not, ends with the same graph as one uninterrupted run.
"""

from __future__ import annotations

import hashlib
import queue
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import neo4j
from pydantic import ValidationError

from graph_service.cypher import query
from graph_service.db import apply_schema
from graph_service.errors import ServiceError
from graph_service.facts import models
from graph_service.facts.models import RowContext, holding_key
from graph_service.facts.writer import WRITERS, Provenance, WriteStats
from graph_service.identifiers import normalize_id
from graph_service.regions import RegionRowError, ensure_regions, region_table
from graph_service.settings import neo4j_settings
from loaders.checks import HoldingsLedger, References
from loaders.csvfile import CsvFile, Part, RawRow, estimate_rows, printable
from loaders.manifest import MANIFEST, ManifestError, bundle_department
from loaders.result import FileCounts, Issue, LoadResult

REGIONS = "regions.csv"
ENTERPRISES = "enterprises.csv"
PERSONS = "persons.csv"
ROLES = "roles.csv"
SHAREHOLDINGS = "shareholdings.csv"
RECORDS = "records.csv"
REGION_COLUMNS = ("code", "name", "parent_code", "level")

Progress = Callable[[str, int, int], None]  # (file, rows done, estimated rows of the file)


@dataclass(frozen=True)
class FileSpec:
    name: str
    model: type[models.Row] | None
    required: tuple[str, ...]

    @property
    def known(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields) if self.model else REGION_COLUMNS


FILES: dict[str, FileSpec] = {s.name: s for s in (
    FileSpec(REGIONS, None, ("code", "name")),
    FileSpec(ENTERPRISES, models.EnterpriseRow, ("uscc", "name")),
    FileSpec(PERSONS, models.PersonRow, ("person_id", "name")),
    FileSpec(ROLES, models.RoleRow, ("person_id", "uscc", "role")),
    FileSpec(SHAREHOLDINGS, models.HoldingRow, ("holder_id", "holder_kind", "uscc", "ratio")),
    FileSpec(RECORDS, models.RecordRow, ("record_id", "subject_kind", "subject_id", "kind",
                                         "authority", "authority_region", "decided_on")),
)}
FILE_ORDER = tuple(FILES)


class BundleError(ServiceError, ValueError):
    status, code = 422, "invalid_bundle"

    """The bundle cannot be loaded at all (no such folder, no bundle file in it)."""


class LoadFailed(ServiceError, RuntimeError):
    """Writing stopped half way (the graph or the process failed). Running the same bundle again
    resumes: what was written stays, the rest is written."""

    def __init__(self, message: str, result: LoadResult):
        super().__init__(message)
        self.result = result


def bundle_files(bundle: Path) -> list[str]:
    return [name for name in FILE_ORDER if (bundle / name).is_file()]


def bundle_load_id(bundle: Path, files: Iterable[str], department: str | None = None) -> str:
    """A load id from the bundle's content and its reporting department: the same files from the
    same department give the same id wherever they lie."""
    h = hashlib.sha256()
    if department is not None:
        h.update(b"department\0" + department.encode() + b"\0")
    for name in files:
        h.update(name.encode() + b"\0")
        with (bundle / name).open("rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        h.update(b"\0")
    return f"load-{h.hexdigest()[:20]}"


def open_bundle(bundle_dir: str | Path, department: str | None = None) -> tuple[Path, list[str], str]:
    """The bundle folder, its bundle files in load order and its load id (``department``: the
    --department given, see loaders.manifest); BundleError when there is nothing to load or the
    department cannot be used."""
    bundle = Path(bundle_dir)
    if not bundle.is_dir():
        raise BundleError(f"{bundle}: not a folder")
    files = bundle_files(bundle)
    if not files:
        raise BundleError(f"{bundle}: no bundle file in it (expected any of {', '.join(FILE_ORDER)})")
    return bundle, files, bundle_load_id(bundle, files, _department(bundle, department))


def _department(bundle: Path, given: str | None) -> str | None:
    try:
        return bundle_department(bundle, given)
    except ManifestError as exc:
        raise BundleError(f"{bundle}: {exc}") from None


def new_load_result(bundle: Path, load_id: str, *, dry_run: bool = False, strict: bool = False,
                    department: str | None = None) -> LoadResult:
    """An empty result naming the load's department (``department``: the --department given),
    warning about CSV files in the folder that are not bundle files and about a load that names
    no department."""
    res = LoadResult(load_id, str(bundle), dry_run=dry_run, strict=strict,
                     department=_department(bundle, department))
    if res.department is None:
        res.warnings.append(Issue(MANIFEST, None, "department", None, "the load names no reporting "
                                  "department (--department or manifest.json): its facts carry none",
                                  level="warning"))
    for extra in sorted(p.name for p in bundle.glob("*.csv") if p.name not in FILES):
        res.warnings.append(Issue(extra, None, None, None, "not a bundle file: ignored", level="warning"))
    return res


def _now() -> datetime:
    return datetime.now(UTC)


# How a file's batches are split among writer threads. Rows of one part never share the
# enterprise they are keyed on with another part (so a key's rows stay in order, in one thread);
# the persons they lock are locked in sorted order in every transaction, so two writers may wait
# for each other but never deadlock. Other files go to one writer: enterprises and persons all
# lock a few region nodes (REGISTERED_IN), so two writers would only queue behind each other.
_PARALLEL: dict[str, tuple[Callable[[dict], str], Callable[[dict], str]]] = {
    ROLES: (lambda r: r["uscc"], lambda r: r["person_id"]),
}


_RETRIES = 8
_OUT_OF_TX_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"


class _Writer:
    """Writes batches in threads of their own, one transaction per batch. A file's batches are
    all committed before the next file's start, since its rows may refer to them."""

    def __init__(self, driver: neo4j.Driver, database: str, load_id: str,
                 counts: dict[str, FileCounts], workers: int, department: str | None = None):
        self._driver = driver
        self._database = database
        self._load_id = load_id
        self._department = department
        self._counts = counts
        self._count_lock = threading.Lock()
        self._limits: dict[str, int] = {}  # batch size per file after a batch was too large
        self._file: str | None = None
        self.error: BaseException | None = None
        self._queues: list[queue.Queue] = [queue.Queue(maxsize=2) for _ in range(max(1, workers))]
        self._threads = [threading.Thread(target=self._loop, args=(q,), name=f"bundle-writer-{i}",
                                          daemon=True) for i, q in enumerate(self._queues)]
        for t in self._threads:
            t.start()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def drain(self) -> None:
        """Waits until every batch submitted so far is committed."""
        for q in self._queues:
            q.join()
        self._raise()

    def submit(self, file: str, rows: list[dict], columns: frozenset[str]) -> None:
        self._raise()
        if file != self._file:
            self.drain()  # the previous file's rows, which this file's may refer to, come first
            self._file = file
        split = _PARALLEL.get(file)
        n = len(self._queues)
        if split is None or n == 1:
            self._queues[0].put((file, rows, columns))
            return
        part_of, order = split
        parts: list[list[dict]] = [[] for _ in range(n)]
        for r in rows:
            parts[zlib.crc32(part_of(r).encode()) % n].append(r)
        for q, part in zip(self._queues, parts):
            if part:
                part.sort(key=order)  # stable: rows of one key keep their file order
                q.put((file, part, columns))

    def _loop(self, q: queue.Queue) -> None:
        with self._driver.session(database=self._database) as session:
            while True:
                item = q.get()
                try:
                    if item is None:
                        return
                    if self.error is not None:
                        continue  # drain, so a blocked submit returns and sees the error
                    file, rows, columns = item
                    for part in self._parts(file, rows):
                        stats = self._write(session, file, part, columns)
                        with self._count_lock:
                            self._counts[file].loaded += stats.written
                            self._counts[file].changed += stats.changed
                except BaseException as exc:
                    self.error = exc
                finally:
                    q.task_done()

    def _parts(self, file: str, rows: list[dict]) -> list[list[dict]]:
        size = self._limits.get(file) or len(rows)
        return [rows[i:i + size] for i in range(0, len(rows), size)]

    def _write(self, session, file: str, rows: list[dict], columns: frozenset[str]) -> WriteStats:
        """One batch in one transaction. Transient failures (a deadlock, a leader switch) are
        retried; a batch too large for the server's transaction memory is split in halves, and
        later batches of the file are cut to the size that fitted."""
        for attempt in range(_RETRIES):
            try:
                with session.begin_transaction() as tx:
                    stats = WRITERS[file](tx, rows, Provenance(self._load_id, file, _now(), self._department), columns)
                    tx.commit()
                return stats
            except neo4j.exceptions.TransientError as exc:
                if exc.code == _OUT_OF_TX_MEMORY and len(rows) > 1:
                    half = len(rows) // 2
                    self._limits[file] = min(self._limits.get(file) or half, half)
                    a = self._write(session, file, rows[:half], columns)
                    b = self._write(session, file, rows[half:], columns)
                    return WriteStats(a.written + b.written, a.changed + b.changed)
                if attempt + 1 == _RETRIES:
                    raise
            except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired):
                if attempt + 1 == _RETRIES:
                    raise
            time.sleep(min(10.0, 0.2 * 2 ** attempt))
        raise AssertionError("unreachable")

    def close(self) -> None:
        for q in self._queues:
            q.put(None)
        for t in self._threads:
            t.join()
        self._raise()


class _Pass:
    """One pass over the bundle: validation only (write=False) or validation and writing."""

    def __init__(self, driver: neo4j.Driver, database: str, bundle: Path, files: list[str],
                 result: LoadResult, *, write: bool, batch_size: int, progress: Progress | None,
                 writers: int = 2, sink=None, graph_empty: bool = False, validators: int = 1,
                 fork_files: bool = False):
        self.driver = driver
        self.database = database
        self.bundle = bundle
        self.files = files
        self.result = result
        self.write = write
        self.batch_size = max(1, batch_size)
        self.progress = progress
        self.table = region_table()
        self.refs = References(driver, database, graph_empty=graph_empty)
        self.ledger = HoldingsLedger(driver, database, graph_empty=graph_empty)
        self.sink = sink  # load --initial: accepted rows go to import files (loaders.import_csv)
        self.record_ids: set[str] = set()
        self.writers = writers
        self.writer: _Writer | None = None
        self.validators = validators  # > 1: rows are validated in that many processes
        # load --initial: some files are checked in forked processes meanwhile (_fork_beside)
        self.fork_files = fork_files
        self.parts: dict[str, Part] = {}  # files read in part only (the rest by a forked process)
        self.beside: list = []  # forked processes checking files now (loaders.forked_files), for progress
        self._row_counts: dict[str, int] = {}
        self._pool = None
        self._extra_regions: list[dict] = []

    # -- reporting ------------------------------------------------------------------------------

    def reject(self, file: str, line: int | None, column: str | None, value, reason: str) -> None:
        self.result.rejections.append(Issue(file, line, column, None if value is None else str(value), reason))

    def warn(self, file: str, line: int | None, column: str | None, value, reason: str) -> None:
        self.result.warnings.append(Issue(file, line, column, None if value is None else str(value),
                                          reason, level="warning"))
        self.result.files[file].warnings += 1

    # -- the pass -------------------------------------------------------------------------------

    def run(self) -> None:
        if self.write:
            self.writer = _Writer(self.driver, self.database, self.result.load_id, self.result.files,
                                  self.writers, self.result.department)
        try:
            if REGIONS not in self.files and self.write:
                ensure_regions(self.driver, self.database)
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
                    self._file(name)
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
            if self.writer is not None:
                writer, self.writer = self.writer, None
                writer.close()

    def _fork_beside(self, name: str):
        """Files checked in a forked process (loaders.forked_files) while this one checks ``name``:
        persons.csv beside enterprises.csv (neither refers to the other); beside roles.csv, the
        files after it and the end of roles.csv itself where it can be cut. None when there is
        nothing to fork or the platform cannot."""
        from loaders import forked_files, split

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

    def _file(self, name: str) -> None:
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
            from loaders.validate_pool import ValidatorPool

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
            rows.append((raw.line, {k: raw.cells.get(k, "") for k in REGION_COLUMNS}))
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
            at = self.sink.at if self.sink is not None else _now()
            extra = [{**r, "src_load": self.result.load_id, "src_file": REGIONS, "src_line": line,
                      "src_at": at, "src_department": self.result.department} for line, r in valid]
            if self.sink is not None:
                self.sink.regions(extra)
            else:
                ensure_regions(self.driver, self.database, extra=extra)
        counts.loaded += len(valid)


# A validated row: (row dict or None, rejections, warnings, (kind, id) of a rejected enterprise or
# person row); rejections and warnings as (column, value, reason).
Validated = tuple[dict | None, list[tuple], list[tuple], tuple[str, str] | None]


def validate_row(name: str, raw: RawRow, table, known_usccs) -> Validated:
    """One row through its model. Pure (no graph, no state but ``known_usccs``, USCCs validated
    before, which need no second check), so worker processes can run it (loaders.validate_pool)."""
    if raw.error is not None:
        return None, [(raw.column, raw.value, raw.error)], [], None
    ctx = RowContext(table, known_usccs=known_usccs, clean=True)
    try:
        model = FILES[name].model.model_validate(raw.cells, context={"row": ctx})
    except ValidationError as exc:
        rejections = []
        for err in exc.errors():
            column = str(err["loc"][0]) if err["loc"] else None
            value = raw.cells.get(column) if column else None
            rejections.append((column, _shown(value), _reason(err)))
        rejected_id = None
        if name == ENTERPRISES:
            rejected_id = ("enterprise", normalize_id(raw.cells.get("uscc", "")))
        elif name == PERSONS:
            rejected_id = ("person", normalize_id(raw.cells.get("person_id", "")))
        return None, rejections, [], rejected_id
    row = model.model_dump()
    row["line"] = raw.line
    return row, [], ctx.warnings, None


SHOWN_CHARS = 200  # a rejected cell is shown (terminal, report) up to this many characters


def _shown(value: str | None) -> str | None:
    if value is None:
        return None
    value = printable(value)
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def _reason(err: dict) -> str:
    kind = err["type"]
    if kind == "missing":
        return "required value is empty"
    if kind == "literal_error":
        return f"must be one of {err['ctx']['expected'].replace(' or ', ', ')}"
    msg = err["msg"]
    return msg.removeprefix("Value error, ")


def check_bundle(bundle_dir: str | Path, *, department: str | None = None, batch_size: int = 5000) -> LoadResult:
    """Validates a bundle as a load into an empty graph does, without Neo4j: every check of a row
    and every check across the bundle's rows (references, the holdings ceiling, repeated keys);
    a reference to what only the graph holds is reported as missing. Writes nothing. Raises
    BundleError when there is nothing to check."""
    started = time.monotonic()
    bundle, files, load_id = open_bundle(bundle_dir, department)
    result = new_load_result(bundle, load_id, dry_run=True, department=department)
    _Pass(None, neo4j_settings().database, bundle, files, result, write=False, batch_size=batch_size,
          progress=None, graph_empty=True).run()
    result.elapsed = time.monotonic() - started
    return result


def load_bundle(driver: neo4j.Driver, bundle_dir: str | Path, *, database: str | None = None,
                strict: bool = False, dry_run: bool = False, report_path: str | Path | None = None,
                batch_size: int = 5000, progress: Progress | None = None,
                writers: int = 2, validators: int = 1, department: str | None = None) -> LoadResult:
    """Loads a bundle folder. Rejected rows are reported, never written; the rest is written
    (``strict``: nothing is written if any row is rejected; ``dry_run``: nothing is written).

    ``writers``: threads writing batches at once (enterprises, persons and roles are split among
    them; a machine with two cores gains from two). ``validators``: processes validating rows
    (loaders.validate_pool); 1 validates in this process. ``department``: the reporting department
    (else manifest.json's), kept on the Load node and on every fact written. Raises BundleError when
    there is nothing to load, LoadFailed when writing stopped half way.
    """
    started = time.monotonic()
    bundle, files, load_id = open_bundle(bundle_dir, department)
    db = database or neo4j_settings().database

    def new_result() -> LoadResult:
        return new_load_result(bundle, load_id, dry_run=dry_run, strict=strict, department=department)

    result = new_result()
    try:
        if dry_run or strict:
            _Pass(driver, db, bundle, files, result, write=False, batch_size=batch_size,
                  progress=progress, validators=validators).run()
            if dry_run or not result.ok:
                return result
            result = new_result()
        result.written = True
        apply_schema(driver, db)
        driver.execute_query(query("loading/begin"), load_id=load_id, bundle=str(bundle.resolve()),
                             department=result.department, started_at=_now(), database_=db)
        try:
            _Pass(driver, db, bundle, files, result, write=True, batch_size=batch_size,
                  progress=progress, writers=writers, validators=validators).run()
        except BaseException as exc:
            result.status = "failed"
            _finish(driver, db, result)
            raise LoadFailed(f"the load stopped half way ({type(exc).__name__}: {exc}); "
                             "run the same bundle again to resume", result) from exc
        _finish(driver, db, result)
        return result
    finally:
        result.elapsed = time.monotonic() - started
        if report_path is not None:
            result.write_report(Path(report_path))


def _finish(driver: neo4j.Driver, db: str, result: LoadResult) -> None:
    try:
        driver.execute_query(query("loading/finish"), load_id=result.load_id, status=result.status,
                             finished_at=_now(), counts=result.counts_json(), database_=db)
    except Exception:
        if result.status == "done":
            raise
        # The graph itself failed: the Load node stays "running"; a rerun resumes anyway.
