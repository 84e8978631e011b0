"""The transactional write queue: accepted rows written in batches by threads of their own, one
transaction per batch (graph_service.facts.writer), while the next chunk is being validated."""

from __future__ import annotations

import queue
import threading
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime

import neo4j

from graph_service.facts.writer import Provenance, WriteStats
from graph_service.propagation.writes import WRITERS
from loaders.bundle.files import ROLES
from loaders.bundle.result import FileCounts

# How a file's batches are split among writer threads. Rows of one part never share the
# enterprise they are keyed on with another part (so a key's rows stay in order, in one thread);
# the persons they lock are locked in sorted order in every transaction, so two writers may wait
# for each other but never deadlock. Other files go to one writer: enterprises and persons all
# lock a few region nodes (REGISTERED_IN), so two writers would only queue behind each other.
_PARALLEL: dict[str, tuple[Callable[[dict], str], Callable[[dict], str]]] = {
    ROLES: (lambda r: r["uscc"], lambda r: r["person_id"]),
}

RETRIES = 8  # attempts of a batch that failed transiently (read at each batch: tests lower it)
_OUT_OF_TX_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"


class WriteQueue:
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
        for attempt in range(RETRIES):
            try:
                with session.begin_transaction() as tx:
                    prov = Provenance(self._load_id, file, datetime.now(UTC), self._department)
                    stats = WRITERS[file](tx, rows, prov, columns)
                    tx.commit()
                return stats
            except neo4j.exceptions.TransientError as exc:
                if exc.code == _OUT_OF_TX_MEMORY and len(rows) > 1:
                    half = len(rows) // 2
                    self._limits[file] = min(self._limits.get(file) or half, half)
                    a = self._write(session, file, rows[:half], columns)
                    b = self._write(session, file, rows[half:], columns)
                    return WriteStats(a.written + b.written, a.changed + b.changed)
                if attempt + 1 == RETRIES:
                    raise
            except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired):
                if attempt + 1 == RETRIES:
                    raise
            time.sleep(min(10.0, 0.2 * 2 ** attempt))
        raise AssertionError("unreachable")

    def close(self) -> None:
        for q in self._queues:
            q.put(None)
        for t in self._threads:
            t.join()
        self._raise()
