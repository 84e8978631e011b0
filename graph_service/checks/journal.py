"""The local journal of answered checks (issue 15 item 16): a check is on disk before its answer
leaves, so a worker killed before the check log has stored it in Neo4j loses nothing.

Each worker appends its answered checks to its own segment files, `<dir>/<worker>-<n>.jsonl`, one
JSON object per line, and `fdatasync`s them before the request answers. Appends that arrive while
an fsync is running wait for the next one and share it (group commit), so concurrent checks pay
one fsync between them. The check log seals the current segment before each flush (later appends
open the next one), and a sealed segment is deleted once every check in it is stored in Neo4j.

A live worker holds an `flock` on each of its segments. At start, a worker replays every segment
nobody holds (its worker is gone) into Neo4j and deletes it: `checks/store` MERGEs on `check_id`,
so a check already stored before the crash is stored once.
"""

from __future__ import annotations

import asyncio
import fcntl
import itertools
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from graph_service.errors import ServiceError

log = logging.getLogger(__name__)


class JournalUnavailable(ServiceError, RuntimeError):
    """Answered checks could not be written to the journal (disk full, directory gone); not
    answered, since an answer whose check is not durable is what item 16 of issue 15 rules out."""

    status, code, headers = 503, "check_journal_unavailable", {"Retry-After": "5"}


@dataclass(eq=False)
class Segment:
    path: Path
    fd: int
    unstored: int = 0     # checks appended and not yet stored in Neo4j
    sealed: bool = False  # no more appends: deleted once unstored is 0
    dir_synced: bool = False
    closed: bool = field(default=False)


def _write_and_sync(directory: Path, writes: list[tuple[Segment, bytes]]) -> None:
    """Runs on the journal's thread: appends, then one fdatasync per segment touched."""
    touched: dict[int, Segment] = {}
    for seg, data in writes:
        view = memoryview(data)
        while view:
            view = view[os.write(seg.fd, view):]
        touched[id(seg)] = seg
    for seg in touched.values():
        if not seg.dir_synced:
            # The segment's name must survive a crash of the machine too, not only its bytes.
            dfd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
            seg.dir_synced = True
        os.fdatasync(seg.fd)


class CheckJournal:
    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._numbers = itertools.count()
        self._current: Segment | None = None
        self._queue: list[tuple[Segment, bytes, asyncio.Future]] = []
        self._syncer: asyncio.Task | None = None
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="check-journal")
        self.fsyncs = 0  # group commits made, for the tests and the benchmark

    # --- appending -------------------------------------------------------------------------------

    def _segment(self) -> Segment:
        if self._current is None:
            self.dir.mkdir(parents=True, exist_ok=True)
            path = self.dir / f"{self.tag}-{next(self._numbers):06d}.jsonl"
            # Locked under a name replay ignores, then renamed: a starting worker never sees an
            # unlocked segment of a live one.
            tmp = path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.rename(tmp, path)
            self._current = Segment(path, fd)
        return self._current

    def _unavailable(self, exc: Exception) -> JournalUnavailable:
        return JournalUnavailable(f"answered checks cannot be journalled now (check journal {self.dir}: {exc}); "
                                  "retry later")

    async def append(self, checks: list[dict[str, Any]]) -> Segment:
        """Writes the checks and returns once they are on disk; the segment that holds them."""
        try:
            seg = self._segment()
        except OSError as exc:
            raise self._unavailable(exc) from None
        data = b"".join(orjson.dumps(c) + b"\n" for c in checks)
        seg.unstored += len(checks)
        fut = asyncio.get_running_loop().create_future()
        self._queue.append((seg, data, fut))
        if self._syncer is None or self._syncer.done():
            self._syncer = asyncio.create_task(self._sync())
        try:
            await fut
        except JournalUnavailable:
            seg.unstored -= len(checks)
            self._release(seg)
            raise
        # Cancelled meanwhile: the checks stay counted, so their segment waits for the next
        # start's replay (stored although not answered) rather than be closed under the write.
        return seg

    async def _sync(self) -> None:
        loop = asyncio.get_running_loop()
        while self._queue:
            batch, self._queue = self._queue, []
            try:
                await loop.run_in_executor(self._thread, _write_and_sync, self.dir,
                                           [(seg, data) for seg, data, _ in batch])
                self.fsyncs += 1
            except Exception as exc:
                # A half-written line may be left: nothing more is written after it (appends
                # already queued for the same segment fail too, later ones open a new segment),
                # and replay skips a line it cannot read (its answer never left).
                failed = {id(seg) for seg, _, _ in batch}
                for seg, _, _ in batch:
                    seg.sealed = True
                if self._current is not None and self._current.sealed:
                    self._current = None
                batch += [item for item in self._queue if id(item[0]) in failed]
                self._queue = [item for item in self._queue if id(item[0]) not in failed]
                err = self._unavailable(exc)
                for _, _, fut in batch:
                    if not fut.done():
                        fut.set_exception(err)
            else:
                for _, _, fut in batch:
                    if not fut.done():
                        fut.set_result(None)

    # --- forgetting what is stored ----------------------------------------------------------------

    def seal(self) -> None:
        """Later appends go to a new segment (the check log calls this before each flush)."""
        seg, self._current = self._current, None
        if seg is not None:
            seg.sealed = True
            self._release(seg)

    def stored(self, seg: Segment, n: int) -> None:
        seg.unstored -= n
        self._release(seg)

    def _release(self, seg: Segment) -> None:
        if seg.sealed and seg.unstored == 0 and not seg.closed:
            seg.closed = True
            try:
                os.unlink(seg.path)
            except OSError as exc:  # left behind: replayed (idempotently) at the next start
                log.warning("check journal segment %s not removed: %s", seg.path, exc)
            os.close(seg.fd)

    def close(self) -> None:
        """Stops the journal; segments with unstored checks stay on disk for the next start."""
        self.seal()
        self._thread.shutdown(wait=True)

    # --- replay at start -----------------------------------------------------------------------

    async def replay(self, store: Callable[[list[dict[str, Any]]], Awaitable[Any]], batch: int) -> int:
        """Stores the checks of every segment no live worker holds, then deletes it; the number
        of checks read. A failure of `store` leaves the segment for the next try."""
        if not self.dir.is_dir():
            return 0
        replayed = 0
        for path in sorted(self.dir.iterdir()):
            if path.suffix not in (".jsonl", ".tmp") or path.name.startswith(self.tag + "-"):
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except FileNotFoundError:  # replayed meanwhile by another worker
                continue
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:  # a live worker's
                    continue
                if os.fstat(fd).st_nlink == 0:  # replayed and removed by another worker meanwhile
                    continue
                checks = _read(path)
                for i in range(0, len(checks), batch):
                    await store(checks[i:i + batch])
                replayed += len(checks)
                path.unlink(missing_ok=True)
            finally:
                os.close(fd)
        return replayed


def _read(path: Path) -> list[dict[str, Any]]:
    checks = []
    for n, line in enumerate(path.read_bytes().splitlines(), 1):
        try:
            checks.append(orjson.loads(line))
        except orjson.JSONDecodeError:  # torn by a crash during the write: its answer never left
            log.warning("check journal %s line %d: unreadable, skipped", path, n)
    return checks
