"""Calibration of the screening match (issue 17 point 3): precision and recall at the threshold.

From a bundle (generated, `--enterprises N --seed S` as bench/load.py makes it, or any bundle folder
with `--bundle DIR`, e.g. loaders/demo), labelled queries are made, each a variant of one subject's
facts as a screening list might write them, or a different subject of the same name:

- enterprises (name, region_code, legal_representative): `exact`; `spaces` (ASCII and U+3000 between
  region, core and form); `brackets` (the region after the core, in full- or half-width brackets);
  `middle_dot`; `form_removed`, `form_changed` (有限公司 -> 有限责任公司); `region_removed`, `region_added`
  (湖南省 before the name); `traditional`; `typo` (one wrong character of the core); `id_typo` (the name
  and the USCC with one wrong character, nothing else);
- persons (name, birth_date, region_code; gender for every other query): `exact`, `spaces`,
  `middle_dot`, `traditional`, `pinyin` ("Wang Jianguo"), `typo` (one wrong character of the given
  name), `id_typo` (the name and the citizen id with one wrong digit);
- labelled non-matches: `other_birth_date` (a person's name, region and a birth date no person of that
  name has), `other_region` (a person's name and a region, in another city, where no person of that
  name is registered or was born), `other_representative` (an enterprise's name and region with a
  legal representative no enterprise of that name has).

The queries run in-process through `graph_service.search.match.match_many` (the service behind
POST /v1/match) on a local Neo4j holding the bundle (loaded first unless it holds it already). Every
candidate answered with `match: true` is a prediction: a true positive when it is the subject the
query was made from, else a false positive; a query made from a subject that does not get
`match: true` is a false negative. precision = tp / (tp + fp), recall = tp / queries made from a subject.
Both per variant class, overall, and swept over thresholds (from the scores of the candidates answered).

    .venv/bin/python bench/calibrate.py --enterprises 100000 --instance bench_calibrate
    .venv/bin/python bench/calibrate.py --bundle loaders/demo --instance calibrate_demo --per-class 20

Results: bench/out/calibrate-<bundle>.json (the report and every query with its answer) and a table on
stdout. Targets on the 100k bundle: precision >= 0.98, recall >= 0.95.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGETS = {"precision": 0.98, "recall": 0.95}
SWEEP = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))
ENTERPRISE_CLASSES = ("exact", "spaces", "brackets", "middle_dot", "form_removed", "form_changed", "region_removed",
                      "region_added", "traditional", "typo", "id_typo")
PERSON_CLASSES = ("exact", "spaces", "middle_dot", "traditional", "pinyin", "typo", "id_typo")
NON_MATCH_CLASSES = {"person": ("other_birth_date", "other_region"), "enterprise": ("other_representative",)}
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐")
# Characters a typing error puts in a name: common in names, so that the wrong one looks plausible.
TYPO_POOL = "明华国文建伟平志强军东海红金林德春庆成安永新中兴光天玉英立正长山福宏达祥瑞鑫隆盛"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


# --- the bundle --------------------------------------------------------------------------------

@dataclass
class Enterprise:
    uscc: str
    name: str
    region_code: str
    address: str
    representatives: list[str] = field(default_factory=list)


@dataclass
class Person:
    person_id: str
    name: str
    region_code: str
    born: dt.date


@dataclass
class Bundle:
    enterprises: list[Enterprise]
    persons: list[Person]


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_bundle(folder: Path, today: dt.date | None = None) -> Bundle:
    """The enterprises (with their legal representatives or operators on `today`) and the
    persons with a citizen id of a bundle's CSV files."""
    from graph_service.search.scoring import resident_facts

    today = today or dt.date.today()
    persons_rows = _rows(folder, "persons")
    names = {r["person_id"]: r["name"] for r in persons_rows}
    reps: dict[str, list[str]] = defaultdict(list)
    for r in _rows(folder, "roles"):
        if r["role"] not in ("legal_representative", "principal"):
            continue
        start = dt.date.fromisoformat(r["start_on"]) if r.get("start_on") else None
        end = dt.date.fromisoformat(r["end_on"]) if r.get("end_on") else None
        if (start is None or start <= today) and (end is None or today < end) and r["person_id"] in names:
            reps[r["uscc"]].append(names[r["person_id"]])
    enterprises = [Enterprise(r["uscc"], r["name"], r["region_code"], r.get("address") or "", reps.get(r["uscc"], []))
                   for r in _rows(folder, "enterprises")]
    persons = []
    for r in persons_rows:
        born, _ = resident_facts(r["person_id"], r.get("id_type") or "resident_id")
        if born is not None and r.get("region_code"):
            persons.append(Person(r["person_id"], r["name"], r["region_code"], born))
    return Bundle(enterprises, persons)


# --- the labelled queries ----------------------------------------------------------------------

@dataclass
class Labelled:
    id: str
    cls: str
    kind: str
    properties: dict[str, Any]
    expected: str | None  # the subject the query was made from; None for a labelled non-match


def _parts(name: str, region_code: str) -> tuple[str, str, str]:
    """(leading region, core, organisation form) of an enterprise name, as core_name cuts it with
    the names of its own region (a trade name such as 新源 is a county elsewhere)."""
    from graph_service.domain.names import core_name
    from graph_service.search.scoring import chain_regions

    core = core_name(name, chain_regions((region_code,)))
    at = name.find(core)
    if at < 0:
        return "", name, ""
    return name[:at], core, name[at + len(core):]


def _short_region(prefix: str) -> str:
    """The last region of a name's leading regions, short: 郴州市北湖区 -> 北湖, 宜章县 -> 宜章."""
    from graph_service.domain.names import national_region_names

    regions = national_region_names()
    for n in range(len(prefix) - 1):
        tail = prefix[n:]
        if tail in regions:
            for suffix in ("省", "市", "区", "县"):
                if tail.endswith(suffix) and tail[:-1] in regions:
                    return tail[:-1]
            return tail
    return prefix


def _typo(text: str, start: int, rnd: random.Random) -> str | None:
    """`text` with one character at or after `start` replaced by another of TYPO_POOL."""
    if len(text) <= start:
        return None
    i = rnd.randrange(start, len(text))
    choices = [c for c in TYPO_POOL if c not in text]
    return text[:i] + rnd.choice(choices) + text[i + 1:]


def _id_typo(value: str, alphabet: str, rnd: random.Random) -> str:
    i = rnd.randrange(len(value) - 1)  # the check character stays: the error is in the body
    wrong = rnd.choice([c for c in alphabet if c != value[i]])
    return value[:i] + wrong + value[i + 1:]


def enterprise_variant(cls: str, e: Enterprise, rnd: random.Random, t2s: Any) -> str | None:
    """The name of enterprise `e` as variant class `cls` writes it; None when the class does not
    apply (no region to remove, no form to change...)."""
    prefix, core, form = _parts(e.name, e.region_code)
    if cls in ("exact", "id_typo", "other_representative"):
        return e.name
    if cls == "spaces":
        return f"{prefix} {core}\u3000{form}".strip() if (prefix or form) else f"{core[:2]} {core[2:]}"
    if cls == "brackets":
        if not prefix:
            return None
        left, right = ("（", "）") if rnd.random() < 0.5 else ("(", ")")
        return f"{core}{left}{_short_region(prefix)}{right}{form}"
    if cls == "middle_dot":
        return f"{prefix}·{core}{form}" if prefix else f"{core[:2]}·{core[2:]}{form}"
    if cls == "form_removed":
        return f"{prefix}{core}" if form else None
    if cls == "form_changed":
        return e.name[:-4] + "有限责任公司" if e.name.endswith("有限公司") and not e.name.endswith("责任有限公司") else None
    if cls == "region_removed":
        return f"{core}{form}" if prefix else None
    if cls == "region_added":
        return "湖南省" + (e.name[2:] if e.name.startswith("湖南") and not e.name.startswith("湖南省") else e.name)
    if cls == "traditional":
        converted = t2s.convert(e.name)
        return converted if converted != e.name else None
    if cls == "typo":
        wrong = _typo(core, 0, rnd)
        return f"{prefix}{wrong}{form}" if wrong else None
    raise ValueError(cls)


def _surname_length(name: str) -> int:
    return 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1


def person_variant(cls: str, p: Person, rnd: random.Random, t2s: Any) -> str | None:
    n = _surname_length(p.name)
    surname, given = p.name[:n], p.name[n:]
    if cls in ("exact", "id_typo", "other_birth_date", "other_region"):
        return p.name
    if cls == "spaces":
        return f"{surname}{' ' if rnd.random() < 0.5 else chr(0x3000)}{given}"
    if cls == "middle_dot":
        return f"{surname}·{given}"
    if cls == "traditional":
        converted = t2s.convert(p.name)
        return converted if converted != p.name else None
    if cls == "pinyin":
        import pypinyin

        spelled = pypinyin.lazy_pinyin(p.name)
        return "".join(spelled[:n]).capitalize() + " " + "".join(spelled[n:]).capitalize()
    if cls == "typo":
        wrong = _typo(given, 0, rnd)
        return surname + wrong if wrong else None
    raise ValueError(cls)


class _Index:
    """What the non-match classes must avoid: by folded name, the birth dates and regions of
    persons, and the legal representatives of enterprises."""

    def __init__(self, bundle: Bundle):
        from graph_service.domain.names import fold
        from graph_service.regions import region_table

        self.table = region_table()
        self.births: dict[str, set[dt.date]] = defaultdict(set)
        self.cities: dict[str, set[str]] = defaultdict(set)
        self.reps: dict[str, set[str]] = defaultdict(set)
        for p in bundle.persons:
            self.births[fold(p.name)].add(p.born)
            for code in (p.region_code, p.person_id[:6]):
                self.cities[fold(p.name)].add(self.city(code))
        for e in bundle.enterprises:
            self.reps[fold(e.name)].update(fold(r) for r in e.representatives)

    def city(self, code: str) -> str:
        up = self.table.ancestors(self.table.effective(code))
        return up[1] if len(up) == 3 else (up[0] if up else code)


def make_queries(bundle: Bundle, per_class: int, seed: int) -> list[Labelled]:
    """`per_class` labelled queries of each class (fewer where fewer subjects fit), deterministic
    for a bundle and seed."""
    import opencc

    from graph_service.domain.names import fold

    rnd = random.Random(seed)
    t2s = opencc.OpenCC("s2t")
    index = _Index(bundle)
    with_reps = [e for e in bundle.enterprises if e.representatives]
    cities = sorted({index.city(p.region_code) for p in bundle.persons} | {"430100", "431000", "430600", "440300"})
    counties = defaultdict(list)
    for p in bundle.persons:
        counties[index.city(p.region_code)].append(p.region_code)
    out: list[Labelled] = []

    def add(cls: str, kind: str, props: dict[str, Any], expected: str | None) -> None:
        out.append(Labelled(f"q{len(out)}", cls, kind, props, expected))

    for cls in (*ENTERPRISE_CLASSES, *NON_MATCH_CLASSES["enterprise"]):
        pool = with_reps[:]
        rnd.shuffle(pool)
        made = 0
        for e in pool:
            if made >= per_class:
                break
            name = enterprise_variant(cls, e, rnd, t2s)
            if name is None:
                continue
            if cls == "id_typo":
                add(cls, "enterprise", {"name": name, "uscc": _id_typo(e.uscc, USCC_ALPHABET, rnd)}, e.uscc)
            elif cls == "other_representative":
                taken = index.reps[fold(e.name)]
                stranger = next((p.name for p in rnd.sample(bundle.persons, min(50, len(bundle.persons)))
                                 if fold(p.name) not in taken), None)
                if stranger is None:
                    continue
                add(cls, "enterprise", {"name": name, "region_code": e.region_code, "legal_representative": stranger},
                    None)
            else:
                add(cls, "enterprise", {"name": name, "region_code": e.region_code,
                                        "legal_representative": rnd.choice(e.representatives)}, e.uscc)
            made += 1

    for cls in (*PERSON_CLASSES, *NON_MATCH_CLASSES["person"]):
        pool = bundle.persons[:]
        rnd.shuffle(pool)
        made = 0
        for p in pool:
            if made >= per_class:
                break
            name = person_variant(cls, p, rnd, t2s)
            if name is None:
                continue
            props: dict[str, Any] = {"name": name, "birth_date": p.born, "region_code": p.region_code}
            if made % 2:
                props["gender"] = "male" if int(p.person_id[16]) % 2 else "female"
            expected: str | None = p.person_id
            if cls == "id_typo":
                props = {"name": name, "person_id": _id_typo(p.person_id, "0123456789", rnd)}
            elif cls == "other_birth_date":
                born = p.born + dt.timedelta(days=rnd.randrange(400, 6000) * rnd.choice((-1, 1)))
                if born in index.births[fold(p.name)]:
                    continue
                props["birth_date"], expected = born, None
            elif cls == "other_region":
                taken = index.cities[fold(p.name)]
                elsewhere = [c for c in cities if c not in taken and counties.get(c)]
                if not elsewhere:
                    continue
                props = {"name": name, "region_code": rnd.choice(counties[rnd.choice(elsewhere)])}
                expected = None
            add(cls, "person", props, expected)
            made += 1
    return out


# --- running them ------------------------------------------------------------------------------

async def run_queries(graph: Any, queries: list[Labelled], threshold: float, limit: int,
                      chunk: int = 200) -> list[dict[str, Any]]:
    """The answer of the match service to each query (admin caller), in the order given."""
    from graph_service.access.caller import Caller
    from graph_service.search import match
    from graph_service.settings import ServiceSettings

    settings = ServiceSettings()
    caller = Caller(key_id=None, role="admin")
    asked = {q.id: match.parse(caller, q.kind, q.properties, threshold, limit, settings) for q in queries}
    answers: dict[str, dict[str, Any]] = {}
    keys = list(asked)
    for i in range(0, len(keys), chunk):
        part = {k: asked[k] for k in keys[i:i + chunk]}
        answers.update(await graph.read_tx(match.match_many, caller, part, settings))
    return [answers[q.id] for q in queries]


# --- the report --------------------------------------------------------------------------------

def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def counts(queries: list[Labelled], answers: list[dict[str, Any]], threshold: float | None = None
           ) -> dict[str, dict[str, int]]:
    """tp, fp, fn and the queries made from a subject (`positives`) per `kind:class`. A candidate is
    predicted a match by its `match` flag, or (`threshold`) by its score at or above it."""
    out: dict[str, dict[str, int]] = {}
    for q, a in zip(queries, answers):
        c = out.setdefault(f"{q.kind}:{q.cls}", {"queries": 0, "positives": 0, "tp": 0, "fp": 0, "fn": 0})
        c["queries"] += 1
        predicted = {cand["subject"]["id"] for cand in a["candidates"]
                     if (cand["match"] if threshold is None else cand["score"] >= threshold)}
        if q.expected is not None:
            c["positives"] += 1
            if q.expected in predicted:
                c["tp"] += 1
            else:
                c["fn"] += 1
        c["fp"] += len(predicted - {q.expected})
    return out


def metrics(c: dict[str, int]) -> dict[str, Any]:
    return {**c, "precision": _ratio(c["tp"], c["tp"] + c["fp"]), "recall": _ratio(c["tp"], c["positives"])}


def _total(per_class: dict[str, dict[str, int]]) -> dict[str, int]:
    total = {"queries": 0, "positives": 0, "tp": 0, "fp": 0, "fn": 0}
    for c in per_class.values():
        for k in total:
            total[k] += c[k]
    return total


def evaluate(queries: list[Labelled], answers: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
    """Precision and recall at the threshold (the answers' `match`), per class and overall, and
    swept over thresholds from the candidates' scores (below the threshold asked, the sweep sees
    only the candidates the answers hold: at most `limit` each)."""
    per_class = counts(queries, answers)
    classes = {}
    for key, c in sorted(per_class.items()):
        kind, cls = key.split(":")
        classes[key] = {"kind": kind, "class": cls,
                        "label": "non_match" if cls in NON_MATCH_CLASSES[kind] else "match", **metrics(c)}
    overall = metrics(_total(per_class))
    sweep = []
    for t in sorted({*SWEEP, threshold}):
        s = metrics(_total(counts(queries, answers, t)))
        sweep.append({"threshold": t, "precision": s["precision"], "recall": s["recall"], "fp": s["fp"], "fn": s["fn"]})
    met = (overall["precision"] is not None and overall["precision"] >= TARGETS["precision"]
           and overall["recall"] is not None and overall["recall"] >= TARGETS["recall"])
    return {"threshold": threshold, "queries": len(queries), "overall": overall, "classes": classes, "sweep": sweep,
            "targets": {**TARGETS, "met": met}}


def table(report: dict[str, Any]) -> str:
    def f(x: float | None) -> str:
        return "—" if x is None else f"{x:.3f}"

    lines = [f"threshold {report['threshold']}, {report['queries']:,} queries",
             f"{'class':<32} {'label':<9} {'queries':>7} {'tp':>6} {'fp':>5} {'fn':>5} {'precision':>9} {'recall':>7}"]
    for name, c in report["classes"].items():
        lines.append(f"{name:<32} {c['label']:<9} {c['queries']:>7} {c['tp']:>6} {c['fp']:>5} {c['fn']:>5} "
                     f"{f(c['precision']):>9} {f(c['recall']):>7}")
    o = report["overall"]
    lines.append(f"{'overall':<32} {'':<9} {o['queries']:>7} {o['tp']:>6} {o['fp']:>5} {o['fn']:>5} "
                 f"{f(o['precision']):>9} {f(o['recall']):>7}")
    t = report["targets"]
    lines.append(f"targets: precision >= {t['precision']}, recall >= {t['recall']}: {'met' if t['met'] else 'NOT met'}")
    lines.append("sweep: " + ", ".join(f"{s['threshold']:.2f} P {f(s['precision'])} R {f(s['recall'])}"
                                       for s in report["sweep"]))
    return "\n".join(lines)


def _jsonable(x: Any) -> Any:
    if isinstance(x, dt.date):
        return x.isoformat()
    raise TypeError(type(x))


def calibrate(conn: Any, bundle_dir: Path, per_class: int, seed: int, threshold: float | None = None,
              limit: int = 10) -> tuple[dict[str, Any], list[Labelled], list[dict[str, Any]]]:
    """Queries made from the bundle at `bundle_dir` run against the graph of `conn` (which holds
    it); (report, queries, answers)."""
    from graph_service.db import async_driver
    from graph_service.runner import Graph
    from graph_service.settings import ServiceSettings

    threshold = ServiceSettings().match_threshold if threshold is None else threshold
    bundle = read_bundle(bundle_dir)
    queries = make_queries(bundle, per_class, seed)

    async def go() -> list[dict[str, Any]]:
        drv = async_driver(conn)
        try:
            return await run_queries(Graph(driver=drv, database=conn.database, read_timeout_s=60), queries,
                                     threshold, limit)
        finally:
            await drv.close()

    t0 = time.perf_counter()
    answers = asyncio.run(go())
    elapsed = time.perf_counter() - t0
    report = evaluate(queries, answers, threshold)
    report.update(bundle=str(bundle_dir), enterprises=len(bundle.enterprises), persons=len(bundle.persons),
                  per_class=per_class, seed=seed, limit=limit, seconds=round(elapsed, 1),
                  queries_per_s=round(len(queries) / elapsed, 1) if elapsed else None)
    return report, queries, answers


def ensure_loaded(conn: Any, bundle: Path, reload: bool) -> float | None:
    """Load `bundle` into the instance unless a marker says it holds it; the seconds the load took."""
    from bench.common import OUT, reset_database
    from graph_service.db import driver
    from loaders import load_bundle

    marker = OUT / ("calibrate-loaded-" + "".join(c if c.isalnum() else "_" for c in conn.uri) + ".json")
    if marker.exists() and json.loads(marker.read_text()).get("bundle") == str(bundle.resolve()) and not reload:
        return None
    reset_database(conn)
    t0 = time.perf_counter()
    with driver(conn) as drv:
        result = load_bundle(drv, bundle)
    elapsed = time.perf_counter() - t0
    marker.write_text(json.dumps({"bundle": str(bundle.resolve()), "rejected": result.rejected, "seconds": elapsed}))
    return elapsed


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bundle", type=Path, help="a bundle folder (default: the generated one of --enterprises)")
    p.add_argument("--enterprises", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=7, help="seed of the generated bundle and of the queries")
    p.add_argument("--instance", default="bench_calibrate", help="local Neo4j instance (when NEO4J_URI is not set)")
    p.add_argument("--reload", action="store_true", help="load the bundle again even if loaded")
    p.add_argument("--per-class", type=int, default=500, help="queries per variant class")
    p.add_argument("--threshold", type=float, help="default: CREDIT_GRAPH_MATCH_THRESHOLD")
    p.add_argument("--limit", type=int, default=10, help="candidates per query (the sweep below the threshold "
                                                         "sees these)")
    args = p.parse_args()

    from bench.api import connection
    from bench.common import OUT, machine
    from bench.load import bundle_for

    OUT.mkdir(parents=True, exist_ok=True)
    bundle = args.bundle or bundle_for(args.enterprises, args.seed)
    conn = connection(args)
    load_s = ensure_loaded(conn, bundle, args.reload)
    report, queries, answers = calibrate(conn, bundle, args.per_class, args.seed, args.threshold, args.limit)
    report.update(machine=machine(), bundle_load_s=load_s, command="bench/calibrate.py " + " ".join(sys.argv[1:]))
    name = bundle.name if args.bundle else f"{args.enterprises}"
    path = OUT / f"calibrate-{name}.json"
    details = [{**asdict(q), "answer": [{"id": c["subject"]["id"], "score": c["score"], "match": c["match"]}
                                        for c in a["candidates"]]} for q, a in zip(queries, answers)]
    path.write_text(json.dumps({"report": report, "queries": details}, indent=1, ensure_ascii=False,
                               default=_jsonable))
    print(table(report))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
