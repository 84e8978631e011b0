"""Reading one bundle file: RFC 4180 CSV, UTF-8 with or without BOM, physical line numbers.

A row's line is the physical line its first field starts on (header = line 1), so a quoted field
spanning several lines moves the following rows down, as an editor shows them.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from loaders.bundle.encoding import not_utf8

# A quoted address or legal basis may be long; the csv default (128 KiB) is kept as a ceiling on
# purpose, raised only to 1 MiB: a larger cell is almost surely an unclosed quote.
csv.field_size_limit(min(sys.maxsize, 1 << 20))

# Bytes that are not UTF-8 come through as lone surrogates (errors="surrogateescape"), so a bad
# byte rejects its row instead of the whole file.
_UNDECODABLE = re.compile("[\udc80-\udcff]")
# Control characters (C0 but line breaks, DEL, C1): a NUL or an escape in a name is never data.
# One search per row over its cells joined by a line break (allowed) finds them with the bytes
# that are not UTF-8, so a clean row costs what it cost before.
_CONTROL = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BAD_CELL = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\udc80-\udcff]")


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: dict[str, str] | None  # column → cell; None when the row is malformed
    error: str | None = None  # why the row is malformed (CSV syntax, field count, encoding)
    column: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Header:
    columns: list[str]  # normalised names in file order
    duplicates: list[str]


def normalize_column(name: str) -> str:
    return name.strip().lower()


def printable(cell: str) -> str:
    """A cell as it can be shown and written to JSON (undecodable bytes as U+FFFD)."""
    return cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def estimate_rows(path: Path) -> int:
    """Data rows, counted as newlines (a multi-line quoted field counts more): for progress only."""
    n = 0
    last = b"\n"
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return max(0, n - 1 + (last != b"\n"))


@dataclass(frozen=True)
class Part:
    """The rows of a file from byte ``start`` (where physical line ``line`` begins) to byte ``stop``
    (None: the end). Both ends lie between two records (loaders.bundle.split)."""

    start: int
    stop: int | None
    line: int


class _Bytes(io.RawIOBase):
    """At most ``left`` bytes of a binary file."""

    def __init__(self, fh, left: int | None):
        self._fh = fh
        self._left = left

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self._left is not None:
            if self._left <= 0:
                return 0
            b = memoryview(b)[:self._left]
        n = self._fh.readinto(b)
        if self._left is not None:
            self._left -= n
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


class CsvFile:
    """Iterates over the data rows of one file after reading its header; with ``part``, over the
    rows of that part only (the header is still read from the top of the file)."""

    def __init__(self, path: Path, part: Part | None = None):
        self.path = path
        self._base = 0  # physical lines before the part
        self.header: Header | None = None
        self.header_error: str | None = None
        # Not UTF-8 text at all (UTF-16, GB18030, binary): the whole file is rejected, unread.
        self.encoding_error: str | None = None
        if part is None or part.start == 0:
            self.encoding_error = not_utf8(path)
        if part is None:
            self._fh = path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
        else:
            raw = path.open("rb")
            raw.seek(part.start)
            stop = None if part.stop is None else part.stop - part.start
            self._fh = io.TextIOWrapper(io.BufferedReader(_Bytes(raw, stop)), encoding="utf-8-sig" if part.start == 0
                                        else "utf-8", errors="surrogateescape", newline="")
        self._reader = csv.reader(self._fh, strict=True)
        self._last_line = 0
        if self.encoding_error is not None:
            self.header_error = self.encoding_error
        elif part is None or part.start == 0:
            self._read_header()
        else:
            with CsvFile(path) as top:
                self.header, self.header_error = top.header, top.header_error
                self.encoding_error = top.encoding_error
            self._base = self._last_line = part.line - 1

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _next(self) -> tuple[int, list[str] | None, str | None]:
        """(first line, fields, syntax error) of the next record; StopIteration at the end."""
        try:
            fields = next(self._reader)
            error = None
        except csv.Error as exc:
            fields, error = None, f"CSV syntax error: {exc}"
        start = self._last_line + 1
        self._last_line = self._base + self._reader.line_num
        return start, fields, error

    def _read_header(self) -> None:
        while True:
            try:
                _, fields, error = self._next()
            except StopIteration:
                self.header_error = "the file is empty: a header row is required"
                return
            if error:
                self.header_error = f"header row: {error}"
                return
            if fields:
                break
        if any(_UNDECODABLE.search(f) for f in fields):
            self.header_error = "header row is not valid UTF-8"
            return
        columns = [normalize_column(f) for f in fields]
        seen: set[str] = set()
        dups: list[str] = []  # every repeat, in the order of the header
        for c in columns:
            if c in seen:
                dups.append(c)
            else:
                seen.add(c)
        self.header = Header(columns, dups)

    def __iter__(self) -> Iterator[RawRow]:
        if self.header is None:
            return
        columns = self.header.columns
        width = len(columns)
        while True:
            try:
                line, fields, error = self._next()
            except StopIteration:
                return
            if error:
                yield RawRow(line, None, error)
                continue
            if not fields or all(not f.strip() for f in fields):
                continue  # blank line, or a spreadsheet's row of empty cells
            if len(fields) != width:
                yield RawRow(line, None, f"row has {len(fields)} fields, the header has {width}",
                             value=printable(",".join(fields))[:200])
                continue
            if _BAD_CELL.search("\n".join(fields)):
                yield self._bad_cell(line, fields, columns)
                continue
            # Blank cells are left out: "empty" means "not given" (input-format.md).
            yield RawRow(line, {c: f for c, f in zip(columns, fields) if f and not f.isspace()})

    def _bad_cell(self, line: int, fields: list[str], columns: list[str]) -> RawRow:
        """The row's first cell holding a byte that is not UTF-8 or a control character."""
        for i, f in enumerate(fields):
            if _UNDECODABLE.search(f):
                return RawRow(line, None, "not valid UTF-8", columns[i], printable(f)[:200])
            if (m := _CONTROL.search(f)) is not None:
                return RawRow(line, None, f"control character U+{ord(m.group()):04X} at position "
                              f"{m.start() + 1} is not allowed", columns[i], f[:200])
        raise AssertionError("no bad cell in the row")
