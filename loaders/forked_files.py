"""`load --initial`: the files after roles.csv (shareholdings, records) validated in a forked
process while the main one validates roles.csv, the largest file. Validation is one core of Python
and the second core is idle meanwhile (the server is stopped, the import tool not started yet).

Why these files: once enterprises and persons are known, roles, holdings and records depend only on
them (references), on themselves (repeated keys, the holdings ledger) and on nothing of each other.
The child inherits the pass as it stands (fork), checks its files as the pass would, writes their
import files (groups no other file writes) and sends back what the main process needs: the counts,
rejections and warnings, the rows held back, and the import files it wrote. Nothing else crosses:
rows stay in the child (sending them was what made a pool of validators slower, see
loaders.validate_pool).
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback

from loaders.result import FileCounts

class ForkFailed(RuntimeError):
    pass


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class ForkedFiles:
    """The files ``files`` of ``pass_`` (a loaders.bundle._Pass writing to an ImportSink), checked
    in a child process; ``merge`` waits for it and takes its results into the pass."""

    def __init__(self, pass_, files: list[str]):
        self.files = files
        sink = pass_.sink
        self._open_before = {k for k, g in sink._g.items() if g.opened}
        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        # Buffered rows of the main process's open files would otherwise be written twice.
        sink.flush()
        self._proc = ctx.Process(target=_child, args=(pass_, files, self._open_before, send), daemon=True,
                                 name="credit-graph-validate")
        self._proc.start()
        send.close()

    def merge(self, pass_) -> None:
        try:
            status, payload = self._recv.recv()
        except EOFError:
            self._proc.join()
            raise ForkFailed(f"the process checking {', '.join(self.files)} ended without a result "
                             f"(exit status {self._proc.exitcode})") from None
        finally:
            self._recv.close()
        self._proc.join()
        if status != "ok":
            raise ForkFailed(f"checking {', '.join(self.files)} failed:\n{payload}")
        result, sink = pass_.result, pass_.sink
        for name in self.files:  # in file order, as the pass would have added them
            if name in payload["files"]:
                counts = result.files[name] = payload["files"][name]
                if pass_.progress:
                    pass_.progress(name, counts.read, counts.read)
        result.rejections += payload["rejections"]
        result.warnings += payload["warnings"]
        for name, rows in payload["held"].items():
            sink.held.setdefault(name, []).extend(rows)
        sink.columns.update(payload["columns"])
        for key, group in payload["groups"].items():
            sink.adopt(key, group)

    def stop(self) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._recv.close()


def _child(pass_, files: list[str], open_before: set[str], send) -> None:
    status, payload = "ok", None
    try:
        pass_.progress = None  # the main process's progress line belongs to roles.csv
        result, sink = pass_.result, pass_.sink
        n_rej, n_warn = len(result.rejections), len(result.warnings)
        before = {k: g.rows for k, g in sink._g.items() if k in open_before}
        for name in files:
            counts = result.files[name] = FileCounts()
            started = time.monotonic()
            pass_._file(name)
            counts.seconds = time.monotonic() - started
        shared = [k for k, rows in before.items() if sink._g[k].rows != rows]
        if shared:
            raise ForkFailed(f"{', '.join(files)} wrote to import files the main process had open "
                             f"({', '.join(shared)}): they cannot be checked in a separate process")
        payload = {
            "files": {n: result.files[n] for n in files if n in result.files},
            "rejections": result.rejections[n_rej:],
            "warnings": result.warnings[n_warn:],
            "held": {n: rows for n, rows in sink.held.items() if n in files},
            "columns": {n: c for n, c in sink.columns.items() if n in files},
            "groups": sink.detach(k for k, g in sink._g.items() if g.opened and k not in open_before),
        }
    except BaseException:  # noqa: BLE001 - reported to the main process, which raises
        status, payload = "error", traceback.format_exc()
    try:
        send.send((status, payload))
        send.close()
    finally:
        # No exit handlers: the main process's open files and the pass's state are not the child's.
        os._exit(0)
