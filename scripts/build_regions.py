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
COLUMNS = ["code", "name", "level", "parent_code", "valid_from", "valid_to", "retired", "successor"]

# Direct-controlled municipalities: their XXYY00 codes (市辖区, 县, 市) are the prefecture-level
# slot of the hierarchy, so they are cities and their districts and counties hang under them.
MUNICIPALITIES = {"11", "12", "31", "50"}
# Codes that group other codes and have no territory of their own.
AGGREGATE_NAMES = {"市辖区", "县", "市区"}

_PROVINCE = re.compile(r'^(\d{2}) province="([^"]*)"$')
_COUNTY = re.compile(r'^  (\d{4}) county="([^"]*)"$')
_SPAN = re.compile(r"^\[(\d{4})?-(\d{4})?\](.*)$")

# Successors (docs/regions.md): what a name keeps when its unit changes kind (县 → 市, 地区 → 市,
# 县 → 区 …) is its stem; the ethnic part of an autonomous unit's name goes too (东方黎族自治县 → 东方).
_ETHNIC = ("各|黎|苗|土家|侗|瑶|壮|回|彝|藏|蒙古|满|朝鲜|哈萨克|白|傣|布依|羌|畲|仡佬|水|土|撒拉|保安|"
           "东乡|裕固|纳西|傈僳|拉祜|佤|哈尼|景颇|独龙|怒|普米|布朗|德昂|阿昌|基诺|仫佬|毛南|京|达斡尔|"
           "鄂温克|鄂伦春|锡伯|塔吉克|柯尔克孜|俄罗斯|门巴|珞巴|塔塔尔|乌孜别克|赫哲")
_AUTONOMOUS = re.compile(rf"(?:(?:{_ETHNIC})族)+自治(?:县|旗|州)$")
_SUFFIX = re.compile(r"(?:自治县|自治旗|自治州|行政区|地区|林区|特区|省|县|市|区|旗|盟)$")
# A successor may appear in the tables up to this many years after the code's last year (the
# yearly tables have gaps, e.g. 武隆县 512326 until 1995, 500232 from 1997).
SUCCESSOR_GAP = 2


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


def stem(name: str) -> str:
    return _SUFFIX.sub("", _AUTONOMOUS.sub("", name))


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


def _rank(level: str) -> str:
    # A province may succeed a prefecture (海南行政区 442100 → 海南省 460000); counties stay counties.
    return "city" if level == "province" else level


def direct_successor(e: Entry, entries: dict[str, Entry], levels: dict[str, str],
                     names: dict[str, int], stems: dict[str, int]) -> str | None:
    """The code that took over a retired code the year it was retired, by name; None when no
    single code did (a split, a merge, a new name): the caller falls back to the parent's.

    Tiers, first with exactly one candidate wins: a code new in the years after with the same
    name, then the same stem; then a code in use the year after with the same name, then stem,
    when that name (stem) is unique in the whole table (so 郊区, 城区 … never match). A
    candidate is of the same rank and province, or of a province created in those years (海南
    1988, 重庆 1997)."""
    if levels[e.code] == "aggregate":
        return None
    y = e.valid_to
    assert y is not None
    s = stem(e.name)

    def fits(f: Entry) -> bool:
        if f.code == e.code or _rank(levels[f.code]) != _rank(levels[e.code]):
            return False
        province = entries.get(f.code[:2] + "0000")
        return f.code[:2] == e.code[:2] or (
            province is not None and province.valid_from is not None
            and y - 1 <= province.valid_from <= y + SUCCESSOR_GAP)

    new = [f for f in entries.values()
           if f.valid_from is not None and y <= f.valid_from <= y + SUCCESSOR_GAP and fits(f)]
    live = [f for f in entries.values()
            if (f.valid_from or 0) <= y + 1 <= (f.valid_to or 9999) and fits(f)]
    tiers = ((new, lambda f: f.name == e.name),
             (new, lambda f: len(s) >= 2 and stem(f.name) == s),
             (live, lambda f: names[e.name] == 2 and f.name == e.name),
             (live, lambda f: len(s) >= 2 and stems[s] == 2 and stem(f.name) == s))
    for pool, same in tiers:
        found = [f.code for f in pool if same(f)]
        if len(found) == 1:
            return found[0]
    return None


def successors(entries: dict[str, Entry], levels: dict[str, str], parents: dict[str, str]) -> dict[str, str]:
    """Each retired code → the code in use today that took it over: its direct successor's
    (followed while that one is retired too), else its parent's; a code split in two has none of
    its own and so maps to its parent city (郴州市 432801 → 郴州市 431000)."""
    names: dict[str, int] = {}
    stems: dict[str, int] = {}
    for f in entries.values():
        names[f.name] = names.get(f.name, 0) + 1
        stems[stem(f.name)] = stems.get(stem(f.name), 0) + 1
    direct = {c: direct_successor(e, entries, levels, names, stems)
              for c, e in entries.items() if e.retired}
    final: dict[str, str] = {}

    def resolve(code: str, seen: tuple[str, ...]) -> str:
        if not entries[code].retired:
            return code
        if code in final:
            return final[code]
        nxt = direct[code] or parents[code]
        if not nxt or nxt in seen:
            raise SystemExit(f"no successor for retired code {code} ({' -> '.join(seen)})")
        final[code] = resolve(nxt, (*seen, code))
        return final[code]

    for code in sorted(direct):
        resolve(code, ())
    return final


def build(entries: dict[str, Entry]) -> list[dict[str, str]]:
    levels = {code: level_of(e) for code, e in entries.items()}
    parents = {code: parent_of(e, levels[code], entries, levels) for code, e in entries.items()}
    succ = successors(entries, levels, parents)
    rows = []
    for code in sorted(entries):
        e = entries[code]
        rows.append({
            "code": code,
            "name": e.name,
            "level": levels[code],
            "parent_code": parents[code],
            "valid_from": "" if e.valid_from is None else str(e.valid_from),
            "valid_to": "" if e.valid_to is None else str(e.valid_to),
            "retired": "true" if e.retired else "false",
            "successor": succ.get(code, ""),
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
