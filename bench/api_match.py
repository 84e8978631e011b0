"""Screening match benchmark (issue 17, performance): POST /v1/match and POST /v1/match/batch over HTTP.

Kept beside bench/api.py rather than in it (its search phase sits where a match phase would), with
the same machinery: the generated bundle loaded once into the local instance (`--instance`, or
NEO4J_URI) and reused, uvicorn in its own process with `--workers`, and bench/api.py's load
generator in another process (open loop at a fixed offered rate, latency counted from each
request's scheduled time). The queries are the labelled variants of bench/calibrate.py (names
written the ways lists write them, typos, wrong ids, non-matches). Measured:

- single matches at each offered rate of `--rates` (default 300/s): achieved rate, p50, p90, p99;
- batches of `--batch-size` (1,000) queries, `--batch-clients` in a closed loop: queries per second,
  p50 and p99 per batch.

    .venv/bin/python bench/api_match.py --enterprises 100000 --instance bench_api

Targets (issue 17): match >= 300 queries/s at p99 <= 50 ms; batch match >= 2,000 queries/s.
Results: bench/out/api-match-<enterprises>.json and a summary on stdout.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def bodies(bundle: Path, per_class: int, seed: int) -> list[str]:
    """The JSON body of each labelled query of the bundle, shuffled."""
    import random

    from bench.calibrate import _jsonable, make_queries, read_bundle

    queries = make_queries(read_bundle(bundle), per_class, seed)
    random.Random(seed).shuffle(queries)
    return [json.dumps({"kind": q.kind, "properties": asdict(q)["properties"]}, ensure_ascii=False, default=_jsonable)
            for q in queries]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--enterprises", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--instance", default="bench", help="local Neo4j instance (when NEO4J_URI is not set)")
    p.add_argument("--reload", action="store_true", help="load the bundle again even if loaded")
    p.add_argument("--port", type=int, default=8766)
    p.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    p.add_argument("--rates", default="300", help="offered single matches per second, one phase each")
    p.add_argument("--duration", type=float, default=20, help="seconds of each measured phase")
    p.add_argument("--connections", type=int, default=128)
    p.add_argument("--batch-clients", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=1000)
    p.add_argument("--per-class", type=int, default=200, help="labelled queries per variant class")
    args = p.parse_args()

    from bench.api import connection, ensure_bundle, generate, stop_server, wait_ready
    from bench.common import OUT, env_for, machine
    from bench.load import bundle_for
    from graph_service.access import keys
    from graph_service.db import driver

    OUT.mkdir(parents=True, exist_ok=True)
    conn = connection(args)
    env = env_for(conn)
    env["NEO4J_URI"] = conn.uri.replace("neo4j://", "bolt://", 1)
    load_s = ensure_bundle(conn, args)
    body = bodies(bundle_for(args.enterprises, args.seed), args.per_class, args.seed)
    with driver(conn) as drv:
        _, key = keys.create(drv, "admin", None, "bench/api_match.py")
    headers = {"X-API-Key": key, "Connection": "keep-alive"}
    single = [{"method": "POST", "path": "/v1/match", "body": b} for b in body]
    batches = []
    for start in range(0, max(len(body) - args.batch_size, 0) + 1, max(args.batch_size // 2, 1)):
        chunk = body[start:start + args.batch_size]
        queries = ", ".join(f'"k{i}": {b}' for i, b in enumerate(chunk))
        batches.append({"method": "POST", "path": "/v1/match/batch", "body": "{\"queries\": {" + queries + "}}"})
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "graph_service.app:create_app", "--host", "127.0.0.1",
         "--port", str(args.port), "--workers", str(args.workers), "--no-access-log", "--log-level", "warning"],
        env=dict(env, CREDIT_GRAPH_API_KEY_CACHE_S="3600", CREDIT_GRAPH_CHECK_JOURNAL_DIR=str(OUT / "check-journal")))
    base = {"host": "127.0.0.1", "port": args.port, "headers": headers}
    results: dict = {"machine": machine(), "enterprises": args.enterprises, "workers": args.workers,
                     "bundle_load_s": load_s, "queries": len(body), "batch_size": min(args.batch_size, len(body)),
                     "command": "bench/api_match.py " + " ".join(sys.argv[1:])}
    try:
        results["ready_after_s"] = wait_ready(f"http://127.0.0.1:{args.port}")
        # Unmeasured: each worker plans the statement and fills its caches on other queries first.
        generate({**base, "mode": "open", "rate": 100, "duration": 5, "connections": 32, "requests": single[::-1]},
                 env)
        results["single_matches"] = [
            generate({**base, "mode": "open", "rate": float(rate), "duration": args.duration,
                      "connections": args.connections, "requests": single}, env)
            for rate in args.rates.split(",")]
        batch = generate({**base, "mode": "closed", "clients": args.batch_clients, "duration": args.duration,
                          "requests": batches, "timeout_s": 120}, env)
        batch["queries_per_s"] = round(batch["achieved_per_s"] * results["batch_size"], 1) \
            if batch["achieved_per_s"] else None
        results["batch_matches"] = batch
    finally:
        stop_server(server)
    path = OUT / f"api-match-{args.enterprises}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
