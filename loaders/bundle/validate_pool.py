"""Row validation in worker processes, for `load --initial`, where validating is most of the work
and the server is idle meanwhile. The main process reads the file, sends chunks of raw rows,
takes the outcomes back in file order and does everything that depends on earlier rows (references,
repeated keys, the holdings ledger), so the outcome is the same as validating in one process.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator

from graph_service.regions import region_table
from loaders.bundle.csvfile import RawRow
from loaders.bundle.rows import Validated, validate_row

CHUNK = 2000  # rows per task
IN_FLIGHT = 3  # tasks per worker queued at once: bounds the memory a fast reader can fill

_state: dict = {}

# Fields that name an enterprise by USCC: once one validated in a worker, later rows naming it skip
# the check (as the single-process pass does with the enterprises it accepted).
_USCC_FIELDS = {"enterprises.csv": ("uscc",), "roles.csv": ("uscc",), "shareholdings.csv": ("uscc",)}


def _init(extra_regions: list[dict]) -> None:
    table = region_table()
    _state["table"] = table.with_extra(extra_regions) if extra_regions else table
    _state["known"] = set()


def _validate_chunk(name: str, raws: list[RawRow]) -> list[Validated]:
    table, known = _state["table"], _state["known"]
    out = []
    for raw in raws:
        outcome = validate_row(name, raw, table, known)
        row = outcome[0]
        if row is not None:
            for f in _USCC_FIELDS.get(name, ()):
                known.add(row[f])
        out.append(outcome)
    return out


class ValidatorPool:
    """``workers`` processes validating rows; ``validate`` yields (raw row, outcome) in order."""

    def __init__(self, workers: int, extra_regions: Iterable[dict] = ()):
        # fork: workers start at once with the modules and the region table loaded, and need no
        # importable __main__. They only run validate_row, never a lock another thread may hold.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        ctx = multiprocessing.get_context(method)
        self._workers = workers
        self._pool = ctx.Pool(workers, initializer=_init, initargs=(list(extra_regions),))

    def validate(self, name: str, raws: Iterable[RawRow]) -> Iterator[tuple[RawRow, tuple]]:
        pending: deque = deque()
        chunk: list[RawRow] = []

        def submit() -> None:
            pending.append((chunk, self._pool.apply_async(_validate_chunk, (name, chunk))))

        for raw in raws:
            chunk.append(raw)
            if len(chunk) >= CHUNK:
                submit()
                chunk = []
                while len(pending) > IN_FLIGHT * self._workers:
                    sent, result = pending.popleft()
                    yield from zip(sent, result.get())
        if chunk:
            submit()
        while pending:
            sent, result = pending.popleft()
            yield from zip(sent, result.get())

    def close(self) -> None:
        self._pool.close()
        self._pool.join()

    def terminate(self) -> None:
        self._pool.terminate()
        self._pool.join()
