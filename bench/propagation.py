"""Propagation benchmark (issue 3 item 7).

On a generated bundle loaded into its own Neo4j instance:

- full propagation: `propagate_all` (delete every liability, recompute them, then the region reach),
  median of `--runs` runs;
- incremental latency: `--new-records` new black records on random enterprises, each written
  through the loader's writer (`graph_service.propagation.writes.write_records`, which runs `propagation.on_change`
  in the same transaction), one transaction per record, timed from begin to commit: p50 and p99
  (a few warm-up records first, not counted);
- baselines in the same run: full propagation with batch size 1 (one transaction per record and
  stage), and the naive way to keep the derived graph fresh, a full recompute after each new record
  (`--naive-records` of them).

The records a run writes carry ids starting with BENCH-; the next run deletes them first, and the
full propagations then give the bundle's own derived graph again.

    .venv/bin/python bench/propagation.py --enterprises 100000 --runs 3 --new-records 200

Results: bench/out/propagation-<enterprises>.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import logging
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, machine, median, reset_database
from bench.load import bundle_for

PREFIX = "BENCH-"
CATEGORIES = ("health_safety", "market_social_order", "defy_judicial_admin", "national_defense")
TODAY = dt.date(2026, 11, 26)


def connection(instance: str, heap: str | None, pagecache: str | None):
    import os

    from graph_service import neo4j_local
    from graph_service.db import Connection
    from graph_service.settings import LocalNeo4jSettings

    if os.environ.get("NEO4J_URI"):
        return Connection(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USERNAME", "neo4j"),
                          os.environ.get("NEO4J_PASSWORD", ""), os.environ.get("NEO4J_DATABASE", "neo4j"))
    st = neo4j_local.start(instance, settings=LocalNeo4jSettings(heap=heap, pagecache=pagecache),
                           echo=lambda *a: None)
    return Connection(st.uri, st.username, st.password, "neo4j")


def counts(drv, database: str) -> dict:
    from graph_service.cypher import query

    return drv.execute_query(query("bench/counts"), prefix=PREFIX, database_=database).records[0].data()


def ensure_loaded(drv, conn, bundle: Path, reload: bool) -> dict:
    """Load the bundle into an empty database unless this bundle's load finished there already."""
    from graph_service.cypher import query
    from loaders import load_bundle
    from loaders.bundle import open_bundle

    load_id = open_bundle(bundle)[2]  # the department (manifest.json) is part of the id
    rows = drv.execute_query(query("testing/load_status"), load_id=load_id, database_=conn.database).records
    if not reload and rows and rows[0]["status"] == "done":
        return {"load_id": load_id, "seconds": None, "reused": True}
    reset_database(conn)
    t0 = time.perf_counter()
    result = load_bundle(drv, bundle, database=conn.database)
    # A few rows the generator gets wrong are rejected (and reported) by the loader; the rest loads.
    return {"load_id": load_id, "seconds": round(time.perf_counter() - t0, 1), "reused": False,
            "rejected": result.rejected}


def remove_bench_records(drv, database: str) -> int:
    from graph_service.cypher import query

    removed = 0
    while n := drv.execute_query(query("bench/delete_records"), prefix=PREFIX, batch=1000,
                                 database_=database).records[0]["deleted"]:
        removed += n
    return removed


def full(drv, database: str, batch_size: int, workers: int = 1) -> dict:
    from graph_service.propagation import propagate_all

    t0 = time.perf_counter()
    summary = propagate_all(drv, database, batch_size=batch_size, workers=workers)
    return {"seconds": time.perf_counter() - t0, "records": len(summary.records) + len(summary.red_records),
            "liabilities": summary.liabilities}


def new_records(bundle: Path, n: int, seed: int, run_id: str) -> list[dict]:
    """`n` black records on random enterprises of the bundle, validated as records.csv rows; one in
    three names a person holding a role in the enterprise as directly responsible."""
    from graph_service.facts.models import RecordRow

    with (bundle / "enterprises.csv").open(encoding="utf-8") as f:
        enterprises = [(r["uscc"], r["region_code"]) for r in csv.DictReader(f)]
    rng = random.Random(seed)
    chosen = rng.sample(enterprises, n)
    wanted = {u for u, _ in chosen}
    holders: dict[str, list[str]] = {}
    with (bundle / "roles.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["uscc"] in wanted:
                holders.setdefault(r["uscc"], []).append(r["person_id"])
    rows = []
    for i, (uscc, region) in enumerate(chosen):
        decided = TODAY - dt.timedelta(days=rng.randint(0, 700))
        misconduct = decided - dt.timedelta(days=rng.randint(0, 400))
        named = [rng.choice(holders[uscc])] if holders.get(uscc) and rng.random() < 1 / 3 else []
        rows.append(RecordRow.model_validate({
            "record_id": f"{PREFIX}{run_id}-{i:04d}", "subject_kind": "enterprise", "subject_id": uscc,
            "kind": "black", "category": rng.choice(CATEGORIES), "severity": "serious",
            "authority": "市场监督管理局", "authority_region": region, "document_no": f"基准〔2026〕{i}号",
            "misconduct_on": misconduct, "decided_on": decided, "published_on": decided,
            "legal_basis": "bench", "responsible_person_ids": named}).model_dump())
    return rows


def incremental(drv, database: str, rows: list[dict]) -> list[float]:
    """Milliseconds per record, each written with its propagation in one transaction."""
    from graph_service.facts.writer import Provenance
    from graph_service.propagation.writes import write_records

    prov = Provenance("api:bench", None, dt.datetime.now(dt.UTC))
    out = []
    with drv.session(database=database) as session:
        for row in rows:
            t0 = time.perf_counter()
            stats = session.execute_write(lambda tx, r=row: write_records(tx, [r], prov))
            out.append((time.perf_counter() - t0) * 1000)
            assert stats.changed == 1, row["record_id"]
    return out


def percentiles(ms: list[float]) -> dict:
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {"n": len(ms), "p50_ms": round(q[49], 2), "p90_ms": round(q[89], 2), "p99_ms": round(q[98], 2),
            "max_ms": round(max(ms), 2), "mean_ms": round(statistics.fmean(ms), 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--enterprises", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3, help="full propagations (median reported)")
    ap.add_argument("--batch-size", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2, help="transactions at once in a full propagation")
    ap.add_argument("--new-records", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=5, help="new records written first, not counted")
    ap.add_argument("--naive-records", type=int, default=2,
                    help="new records each followed by a full recompute (baseline); 0: none")
    ap.add_argument("--baseline-batch-size", type=int, default=1, help="full propagation with this batch size "
                                                                       "(baseline); 0: none")
    ap.add_argument("--instance", default="bench_propagation", help="local Neo4j instance (unless NEO4J_URI)")
    ap.add_argument("--heap", default=None)
    ap.add_argument("--pagecache", default=None)
    ap.add_argument("--reload", action="store_true", help="reload the bundle even if it is there")
    args = ap.parse_args()
    # Deadlocks between the parallel batches of a full propagation are retried by the driver.
    logging.getLogger("neo4j.session").setLevel(logging.ERROR)

    from graph_service.db import driver

    conn = connection(args.instance, args.heap, args.pagecache)
    print(f"machine: {machine()}", flush=True)
    bundle = bundle_for(args.enterprises, args.seed)
    report: dict = {"command": " ".join([".venv/bin/python", "bench/propagation.py", *sys.argv[1:]]),
                    "machine": machine(), "bundle": str(bundle.relative_to(OUT.parent.parent)),
                    "neo4j": {"instance": args.instance, "heap": args.heap, "pagecache": args.pagecache}}
    with driver(conn, notifications_min_severity="OFF") as drv:
        report["load"] = ensure_loaded(drv, conn, bundle, args.reload)
        print(f"load: {report['load']}", flush=True)
        report["removed_bench_records"] = remove_bench_records(drv, conn.database)

        runs = []
        for i in range(args.runs):
            runs.append(full(drv, conn.database, args.batch_size, args.workers))
            print(f"full propagation {i + 1}: {runs[-1]}", flush=True)
        report["graph"] = counts(drv, conn.database)
        report["full"] = {"batch_size": args.batch_size, "workers": args.workers,
                          "median_s": round(median([r["seconds"] for r in runs]), 2),
                          "runs_s": [round(r["seconds"], 2) for r in runs], "records": runs[0]["records"],
                          "liabilities": runs[0]["liabilities"]}
        print(f"full: {report['full']}", flush=True)

        if args.baseline_batch_size:
            b = full(drv, conn.database, args.baseline_batch_size)
            report["baseline_full"] = {"batch_size": args.baseline_batch_size, "seconds": round(b["seconds"], 2),
                                       "liabilities": b["liabilities"]}
            print(f"baseline full: {report['baseline_full']}", flush=True)

        run_id = dt.datetime.now().strftime("%Y%m%d%H%M%S")
        rows = new_records(bundle, args.warmup + args.new_records + args.naive_records, args.seed + 1, run_id)
        warm, measured, naive = (rows[:args.warmup], rows[args.warmup:args.warmup + args.new_records],
                                 rows[args.warmup + args.new_records:])
        incremental(drv, conn.database, warm)
        ms = incremental(drv, conn.database, measured)
        report["incremental"] = {**percentiles(ms), "warmup": len(warm),
                                 "named_responsible": sum(1 for r in measured if r["responsible_person_ids"])}
        print(f"incremental: {report['incremental']}", flush=True)

        if naive:
            per = []
            for row in naive:
                t0 = time.perf_counter()
                incremental(drv, conn.database, [row])
                full(drv, conn.database, args.batch_size, args.workers)
                per.append(time.perf_counter() - t0)
            report["baseline_naive"] = {"records": len(per), "median_s_per_record": round(median(per), 2),
                                        "runs_s": [round(x, 2) for x in per]}
            print(f"baseline naive (full recompute per record): {report['baseline_naive']}", flush=True)
        report["incremental_vs_full_recompute"] = round(report["full"]["median_s"] * 1000
                                                        / report["incremental"]["p50_ms"], 1)
        report["graph_after"] = counts(drv, conn.database)

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"propagation-{args.enterprises}.json"
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1, ensure_ascii=False, default=str))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
