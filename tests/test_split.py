"""Cutting a file in two between records (loaders.bundle.split): the two parts read as the whole file
reads, with the same physical line numbers, wherever the cut falls; files that are not plain
RFC 4180 are not cut."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from loaders.bundle.csvfile import CsvFile
from loaders.bundle.split import cut


def _rows(path: Path, part=None):
    with CsvFile(path, part) as f:
        return [(r.line, r.cells, r.error) for r in f]


def _tricky(rng: random.Random, n: int) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["person_id", "uscc", "title"])
    cells = ["董事", "经理,兼", 'say "hi"', "第一行\n第二行", "a\n\nb", "", "x" * 50, '"', "\n"]
    for i in range(n):
        w.writerow([f"P{i}", f"E{i % 7}", rng.choice(cells)])
        if rng.random() < 0.05:
            out.write("\n")  # a blank line
    return out.getvalue()


@pytest.mark.parametrize("seed", range(5))
def test_parts_read_as_the_whole_file(tmp_path, seed):
    rng = random.Random(seed)
    path = tmp_path / "roles.csv"
    path.write_text(("\ufeff" if seed % 2 else "") + _tricky(rng, 300), encoding="utf-8")
    whole = _rows(path)
    cuts = 0
    for fraction in [i / 40 for i in range(1, 40)]:
        parts = cut(path, fraction)
        if parts is None:
            continue
        cuts += 1
        first, second = parts
        assert first.stop == second.start and second.line > 1
        assert _rows(path, first) + _rows(path, second) == whole, fraction
    assert cuts >= 30  # a cut that lands in a quoted field moves past it, it is not given up


def test_the_second_part_starts_on_its_physical_line(tmp_path):
    path = tmp_path / "roles.csv"
    path.write_text('a,b\n1,"x\ny"\n2,z\n3,w\n', encoding="utf-8")
    first, second = cut(path, 0.5)  # halfway is inside the quoted field: the cut moves past it
    assert second.line == 4
    assert [r[0] for r in _rows(path, first)] == [2] and [r[0] for r in _rows(path, second)] == [4, 5]


@pytest.mark.parametrize("text", [
    'a,b\n1,x"y\n2,z\n3,w\n4,v\n',  # a quote inside an unquoted cell
    'a,b\n1,"x\n2,z\n3,w\n4,v\n',  # a quote never closed
    'a,b\r1,x\r2,z\r3,w\r4,v\r',  # lines ended by a lone carriage return
    'a,"b"\n1,x\n2,z\n',  # a quoted header
])
def test_files_that_are_not_plain_are_not_cut(tmp_path, text):
    path = tmp_path / "roles.csv"
    path.write_bytes(text.encode())
    assert cut(path, 0.5) is None
