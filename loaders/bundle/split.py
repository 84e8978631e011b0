"""Cutting a bundle file in two between records, so two processes can read one part each
(loaders.bundle.forked_files) and give the rows, line numbers and errors one reader gives.

A cut is only made where the file is plain RFC 4180: every quote opens a field (after a comma or a
line break) or closes one (before a comma, a line break or the end), or is doubled inside one, and
no line ends with a lone carriage return. There, a line feed outside quotes ends a record, and the
quotes before it tell whether it is outside. Anything else (a stray quote in an unquoted cell, a
quote never closed): no cut, the file is read whole by one process.
"""

from __future__ import annotations

import mmap
import re
from pathlib import Path

from loaders.bundle.csvfile import Part

_QUOTE = re.compile(rb'"')
_LONE_CR = re.compile(rb"\r(?!\n)")
_BOM = b"\xef\xbb\xbf"
_CHUNK = 1 << 24


def _lines_before(mm, end: int) -> int:
    n = 0
    for i in range(0, end, _CHUNK):
        n += mm[i:min(end, i + _CHUNK)].count(b"\n")
    return n


def cut(path: Path, fraction: float) -> tuple[Part, Part] | None:
    """The file in two parts, the first holding about ``fraction`` of its bytes; None when no safe
    cut exists (see above) or one part would be empty."""
    size = path.stat().st_size
    if size == 0 or not 0 < fraction < 1:
        return None
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        at = _offset(mm, size, fraction)
        if at is None:
            return None
        line = _lines_before(mm, at) + 1
    return Part(0, at, 1), Part(at, None, line)


def _offset(mm, size: int, fraction: float) -> int | None:
    if _LONE_CR.search(mm):
        return None
    begin = len(_BOM) if mm[:len(_BOM)] == _BOM else 0
    header_end = mm.find(b"\n")
    if header_end < 0 or b'"' in mm[begin:header_end]:
        return None
    inside = False
    skip = -1  # the second quote of a doubled pair
    quotes = _QUOTE.finditer(mm, header_end + 1)
    pending = next(quotes, None)
    at = mm.find(b"\n", max(header_end + 1, int(size * fraction)) - 1) + 1
    while 0 < at < size:
        # Walk the quotes before the candidate: the state there says whether it is in a field.
        while pending is not None and pending.start() < at:
            q = pending.start()
            pending = next(quotes, None)
            if q == skip:
                continue
            if not inside:
                if mm[q - 1:q] not in (b",", b"\n"):
                    return None
                inside = True
            else:
                after = mm[q + 1:q + 2]
                if after == b'"':
                    skip = q + 1
                elif after in (b",", b"\n", b"\r", b""):
                    inside = False
                else:
                    return None
        if not inside:
            return at
        if pending is None:  # a quote never closed
            return None
        # In a quoted field: try the first line feed after its next quote.
        at = mm.find(b"\n", pending.start()) + 1
    return None
