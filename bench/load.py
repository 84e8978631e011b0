"""Loader benchmark (issue 2 item 8).

Generates a synthetic Hunan bundle, loads it into an empty database several times and reports rows/s
per file and in total and the loader's peak memory; in the same run, loads a smaller sample with a
naive loader (one statement and one transaction per row: the same loader with batch size 1) as the
baseline. Each load runs in its own worker process so its peak RSS is its own.

    .venv/bin/python bench/load.py --enterprises 100000 --runs 3 --baseline-enterprises 5000

With --initial, the big bundle is loaded by `load --initial` (validation, then neo4j-admin database
import, restart, schema, propagation) into a fresh local instance (`--instance`) each run, and the
seconds of each stage are reported too; the naive baseline stays the same.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    OUT,
    bench_connection,
    env_for,
    fresh_instance,
    machine,
    median,
    reset_database,
)
from graph_service import neo4j_local

FILES = ("enterprises", "persons", "roles", "shareholdings", "records")


def worker(bundle: Path, batch_size: int) -> None:
    from graph_service.db import driver
    from loaders import load_bundle

    with driver() as drv:
        t0 = time.perf_counter()
        result = load_bundle(drv, bundle, batch_size=batch_size)
        elapsed = time.perf_counter() - t0
    files = {name: {"read": c.read, "loaded": c.loaded, "rejected": c.rejected,
                    "seconds": getattr(c, "seconds", None)} for name, c in result.files.items()}
    print(json.dumps({"elapsed": elapsed, "files": files, "rejected": result.rejected,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def initial_worker(bundle: Path, instance: str, batch_size: int) -> None:
    from loaders.initial import initial_import

    t0 = time.perf_counter()
    result = initial_import(bundle, instance=instance, batch_size=batch_size)
    elapsed = time.perf_counter() - t0
    files = {name: {"read": c.read, "loaded": c.loaded, "rejected": c.rejected,
                    "seconds": getattr(c, "seconds", None)} for name, c in result.files.items()}
    print(json.dumps({"elapsed": elapsed, "files": files, "rejected": result.rejected, "stages": result.stages,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run_initial(instance: str, bundle: Path, batch_size: int) -> dict:
    fresh_instance(instance)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    out = subprocess.run([sys.executable, __file__, "--initial-worker", str(bundle), "--instance", instance,
                          "--batch-size", str(batch_size)], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"initial load worker failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bundle_for(n: int, seed: int) -> Path:
    from bench.generate import generate_bundle

    path = OUT / f"bundle-{n}-{seed}"
    if not (path / ".complete").exists():
        t0 = time.perf_counter()
        generate_bundle(path, enterprises=n, seed=seed)
        (path / ".complete").write_text(f"{time.perf_counter() - t0:.1f}s\n")
    return path


def run_load(conn, bundle: Path, batch_size: int) -> dict:
    reset_database(conn)
    out = subprocess.run([sys.executable, __file__, "--worker", str(bundle), "--batch-size", str(batch_size)],
                         env=env_for(conn), capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"load worker failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def summarise(runs: list[dict]) -> dict:
    rows = sum(runs[0]["files"].get(f"{f}.csv", {}).get("loaded", 0) for f in FILES)
    per_file = {}
    for f in FILES:
        secs = [r["files"].get(f"{f}.csv", {}).get("seconds") for r in runs]
        loaded = runs[0]["files"].get(f"{f}.csv", {}).get("loaded", 0)
        if all(s for s in secs):
            per_file[f] = {"rows": loaded, "rows_per_s": loaded / median(secs)}
        else:
            per_file[f] = {"rows": loaded, "rows_per_s": None}
    elapsed = median([r["elapsed"] for r in runs])
    return {"rows": rows, "median_s": elapsed, "rows_per_s": rows / elapsed,
            "runs_s": [round(r["elapsed"], 2) for r in runs], "per_file": per_file,
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "stages_median_s": {k: round(median([r["stages"][k] for r in runs if k in r.get("stages", {})]), 2)
                                for k in runs[0].get("stages", {})},
            "rejected": max(r["rejected"] for r in runs)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--enterprises", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=5000)
    ap.add_argument("--baseline-enterprises", type=int, default=5000)
    ap.add_argument("--baseline-runs", type=int, default=3)
    ap.add_argument("--initial", action="store_true", help="load the big bundle with load --initial")
    ap.add_argument("--instance", default="bench_initial", help="local instance for --initial (wiped each run)")
    ap.add_argument("--worker", type=Path)
    ap.add_argument("--initial-worker", type=Path)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.batch_size)
        return
    if args.initial_worker:
        initial_worker(args.initial_worker, args.instance, args.batch_size)
        return
    print(f"machine: {machine()}", flush=True)
    big, small = bundle_for(args.enterprises, args.seed), bundle_for(args.baseline_enterprises, args.seed)
    if args.initial:
        batched = summarise([run_initial(args.instance, big, args.batch_size) for _ in range(args.runs)])
        neo4j_local.stop(args.instance)
    # The baseline's server is started only now, and stopped at the end: an idle server beside the
    # measured loads (until session 7 it ran through every --initial run) takes memory and, after
    # a load, some CPU of its own.
    own_server = not os.environ.get("NEO4J_URI")
    conn = bench_connection()
    try:
        if not args.initial:
            batched = summarise([run_load(conn, big, args.batch_size) for _ in range(args.runs)])
        mode = "load --initial" if args.initial else "batched"
        print(f"{mode}, {args.enterprises} enterprises: {json.dumps(batched, indent=1)}", flush=True)
        naive = summarise([run_load(conn, small, 1) for _ in range(args.baseline_runs)])
    finally:
        if own_server:
            neo4j_local.stop("bench")
    print(f"naive (batch size 1), {args.baseline_enterprises} enterprises: {json.dumps(naive, indent=1)}")
    print(f"ratio batched/naive rows/s: {batched['rows_per_s'] / naive['rows_per_s']:.1f}x")
    OUT.mkdir(parents=True, exist_ok=True)
    name = f"load-initial-{args.enterprises}.json" if args.initial else f"load-{args.enterprises}.json"
    (OUT / name).write_text(json.dumps({"mode": mode, "batched": batched, "naive": naive}, indent=1))


if __name__ == "__main__":
    main()
