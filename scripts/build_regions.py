#!/usr/bin/env python3
"""Build graph_service/data/regions.csv from python-stdnum's stdnum/cn/loc.dat.

loc.dat is python-stdnum's copy of the zh.wikipedia GB/T 2260 tables (codes since 1980, each with
its names and the years each name was in use). It is read from the installed package, so a newer
python-stdnum gives a newer table: run `python scripts/build_regions.py` and commit the CSV.

Run: .venv/bin/python scripts/build_regions.py [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "graph_service" / "data" / "regions.csv"
COLUMNS = ["code", "name", "level", "parent_code", "valid_from", "valid_to", "retired"]

# Direct-controlled municipalities: their XXYY00 codes (市辖区, 县, 市) are the prefecture-level
# slot of the hierarchy, so they are cities and their districts and counties hang under them.
MUNICIPALITIES = {"11", "12", "31", "50"}
# Codes that group other codes and have no territory of their own.
AGGREGATE_NAMES = {"市辖区", "县", "市区"}

_PROVINCE = re.compile(r'^(\d{2}) province="([^"]*)"$')
_COUNTY = re.compile(r'^  (\d{4}) county="([^"]*)"$')
_SPAN = re.compile(r"^\[(\d{4})?-(\d{4})?\](.*)$")


@dataclass
class Entry:
    code: str
    name: str
    valid_from: int | None
    valid_to: int | None

    @property
    def retired(self) -> bool:
        return self.valid_to is not None


def parse_names(code: str, text: str) -> Entry:
    """'[-1991]东郊区,[1992-]东丽区' → the latest name and the whole span of years."""
    starts, ends, names = [], [], []
    for part in text.split(","):
        m = _SPAN.match(part)
        if m:
            start, end, name = m.groups()
            starts.append(int(start) if start else None)
            ends.append(int(end) if end else None)
        else:
            name = part
            starts.append(None)
            ends.append(None)
        names.append(name.strip())
    valid_from = None if any(s is None for s in starts) else min(starts)
    valid_to = None if any(e is None for e in ends) else max(ends)
    return Entry(code, names[-1], valid_from, valid_to)


def read_loc_dat(text: str) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    prefix = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if m := _PROVINCE.match(line):
            prefix = m.group(1)
            entries.setdefault(prefix + "0000", Entry(prefix + "0000", m.group(2), None, None))
        elif (m := _COUNTY.match(line)) and prefix:
            code = prefix + m.group(1)
            # The province's own 0000 line carries its years and simplified-Chinese name.
            entries[code] = parse_names(code, m.group(2))
        else:
            raise SystemExit(f"loc.dat line {lineno}: unexpected line {line!r}")
    return entries


def level_of(e: Entry) -> str:
    if e.code.endswith("0000"):
        return "province"
    if e.code.endswith("00"):
        if e.code[:2] in MUNICIPALITIES:
            return "city"
        if e.name in AGGREGATE_NAMES or "直辖" in e.name:
            return "aggregate"
        return "city"
    if e.name in AGGREGATE_NAMES:
        return "aggregate"
    return "county"


def overlaps(a: Entry, b: Entry) -> bool:
    a_from, a_to = a.valid_from or 0, a.valid_to or 9999
    b_from, b_to = b.valid_from or 0, b.valid_to or 9999
    return a_from <= b_to and b_from <= a_to


def parent_of(e: Entry, level: str, entries: dict[str, Entry], levels: dict[str, str]) -> str:
    if level == "province":
        return ""
    province = e.code[:2] + "0000"
    if level == "city":
        return province
    city = entries.get(e.code[:4] + "00")
    # A county (or 市辖区) belongs to its prefecture when that code existed in the same years;
    # under a 省直辖 aggregate or without a prefecture it belongs to the province directly.
    if city is not None and levels[city.code] == "city" and overlaps(e, city):
        return city.code
    return province


def build(entries: dict[str, Entry]) -> list[dict[str, str]]:
    levels = {code: level_of(e) for code, e in entries.items()}
    rows = []
    for code in sorted(entries):
        e = entries[code]
        rows.append({
            "code": code,
            "name": e.name,
            "level": levels[code],
            "parent_code": parent_of(e, levels[code], entries, levels),
            "valid_from": "" if e.valid_from is None else str(e.valid_from),
            "valid_to": "" if e.valid_to is None else str(e.valid_to),
            "retired": "true" if e.retired else "false",
        })
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    text = resources.files("stdnum").joinpath("cn/loc.dat").read_text(encoding="utf-8")
    rows = build(read_loc_dat(text))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    import stdnum

    print(f"{len(rows)} regions from python-stdnum {stdnum.__version__} → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
