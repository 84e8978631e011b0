"""Change log benchmark (issue 18, performance): the feed and the time from a write to its alert.

The generated bundle (`--enterprises`, 100k by default) is loaded with the transactional loader
into the local instance (`--instance`, or NEO4J_URI), once, as bench/api.py does: every row of it
is then in the change log, with the liabilities and decisions it caused. uvicorn serves the app in
its own process (`--workers`), with the alerter and the webhook deliverer in its background.
Measured:

- the feed: `GET /v1/changes?since=<random>&limit=1000` at `--feed-rate` per second for
  `--duration` s (open loop, bench/api.py's generator): p50, p90, p99 per page;
- from a committed write to its alert: `--watches` watches (depth 2, each with a webhook to a
  receiver in this process) on enterprises of the bundle; then `--writes` times, a record about one
  watched enterprise is written (a transaction of its own, as `credit-graph load` writes one), and
  the time from its commit to (a) its alert being readable at GET /v1/watches/{id}/alerts (polled
  every `--poll-ms`) and (b) its webhook arriving; p50, p90, p99 of each.

    .venv/bin/python bench/changes.py --enterprises 100000 --instance bench_changes

Targets (issue 18): a feed page of 1,000 entries p99 <= 100 ms; write to alert readable (and its
webhook sent) p99 <= 1 s. Results: bench/out/changes-<enterprises>.json and a summary on stdout.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


class Receiver:
    """Webhook receiver on 127.0.0.1: the arrival time of each alert id."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                outer.arrived.setdefault(self.headers["X-Credit-Graph-Alert"], time.perf_counter())
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


def _get(url: str, key: str) -> dict:
    req = urllib.request.Request(url, headers={"X-API-Key": key})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def _post(url: str, key: str, body: dict) -> dict:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"X-API-Key": key, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def stats(values: list[float]) -> dict:
    from bench.api import pct

    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": _r(pct(ms, 0.5)), "p90_ms": _r(pct(ms, 0.9)), "p99_ms": _r(pct(ms, 0.99)),
            "max_ms": _r(max(ms) if ms else None)}


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 1)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--enterprises", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--instance", default="bench_changes", help="local Neo4j instance (when NEO4J_URI is not set)")
    p.add_argument("--reload", action="store_true", help="load the bundle again even if loaded")
    p.add_argument("--port", type=int, default=8767)
    p.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    p.add_argument("--feed-rate", type=float, default=20, help="feed pages per second")
    p.add_argument("--duration", type=float, default=20, help="seconds of the feed phase")
    p.add_argument("--watches", type=int, default=50)
    p.add_argument("--writes", type=int, default=100)
    p.add_argument("--write-gap-s", type=float, default=0.3, help="pause between the measured writes")
    p.add_argument("--poll-ms", type=float, default=10)
    args = p.parse_args()

    from bench.api import connection, ensure_bundle, generate, stop_server, wait_ready
    from bench.common import OUT, env_for, machine
    from graph_service.access import keys
    from graph_service.cypher import query
    from graph_service.db import driver
    from graph_service.facts.models import RecordRow
    from graph_service.facts.writer import Provenance
    from graph_service.propagation.writes import write_records

    OUT.mkdir(parents=True, exist_ok=True)
    conn = connection(args)
    env = env_for(conn)
    env["NEO4J_URI"] = conn.uri.replace("neo4j://", "bolt://", 1)
    load_s = ensure_bundle(conn, args)
    rng = random.Random(args.seed)
    with driver(conn) as drv:
        _, key = keys.create(drv, "admin", None, "bench/changes.py")
        last = drv.execute_query(query("bench/last_change_seq")).records[0]["n"]
        usccs = [r["id"] for r in drv.execute_query(query("bench/sample_subjects"), n=args.watches,
                                                    skip=rng.randrange(0, 1000)).records if r["kind"] == "enterprise"]
    watched = usccs[:args.watches]
    receiver = Receiver()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "graph_service.app:create_app", "--host", "127.0.0.1",
         "--port", str(args.port), "--workers", str(args.workers), "--no-access-log", "--log-level", "warning"],
        env=dict(env, CREDIT_GRAPH_API_KEY_CACHE_S="3600", CREDIT_GRAPH_CHECK_JOURNAL_DIR=str(OUT / "check-journal"),
                 CREDIT_GRAPH_ALERTS_POLL_S="0.05"))
    base_url = f"http://127.0.0.1:{args.port}"
    headers = {"X-API-Key": key, "Connection": "keep-alive"}
    results: dict = {"machine": machine(), "enterprises": args.enterprises, "workers": args.workers,
                     "bundle_load_s": load_s, "log_entries": last,
                     "command": "bench/changes.py " + " ".join(sys.argv[1:])}
    try:
        results["ready_after_s"] = wait_ready(base_url)
        # The alerter first reads the whole log of the load (no watch yet: no alert) before the
        # measured part; wait until it has caught up.
        feed = [{"method": "GET", "path": f"/v1/changes?since={rng.randrange(0, max(last - 1000, 1))}&limit=1000"}
                for _ in range(2000)]
        base = {"host": "127.0.0.1", "port": args.port, "headers": headers}
        generate({**base, "mode": "open", "rate": 5, "duration": 3, "connections": 8, "requests": feed[::-1]}, env)
        results["feed_page_1000"] = generate({**base, "mode": "open", "rate": args.feed_rate,
                                              "duration": args.duration, "connections": 16, "requests": feed}, env)
        watch_ids = [_post(f"{base_url}/v1/watches", key, {"subjects": [u], "depth": 2,
                                                           "webhook_url": receiver.url})["watch_id"]
                     for u in watched]
        with driver(conn) as drv:
            caught = time.perf_counter()
            while time.perf_counter() - caught < 600:
                if drv.execute_query(query("bench/alerter_cursor")).records[0]["n"] >= last:
                    break
                time.sleep(1)
            results["alerter_caught_up_s"] = round(time.perf_counter() - caught, 1)
            readable, sent = [], []
            prov = Provenance("bench-changes", "records.csv", datetime.now(UTC))
            for i in range(args.writes):
                j = rng.randrange(len(watched))
                row = RecordRow.model_validate({
                    "record_id": f"BENCH-CH-{args.seed}-{i}", "subject_kind": "enterprise", "subject_id": watched[j],
                    "kind": "black", "category": "health_safety", "authority": "郴州市市场监督管理局",
                    "authority_region": "431000", "decided_on": date.today().isoformat(),
                    "legal_basis": "《食品安全法》"}).model_dump() | {"authority": "郴州市市场监督管理局"}
                with drv.session(database=conn.database) as s:
                    s.execute_write(lambda tx, row=row: write_records(tx, [row], prov))
                t0 = time.perf_counter()
                alert_id = None
                while time.perf_counter() - t0 < 30 and alert_id is None:
                    items = _get(f"{base_url}/v1/watches/{watch_ids[j]}/alerts?limit=1000", key)["items"]
                    mine = [a for a in items if any(c["key"] == row["record_id"] for c in a["changes"])]
                    if mine:
                        alert_id = mine[0]["alert_id"]
                        readable.append(time.perf_counter() - t0)
                    else:
                        time.sleep(args.poll_ms / 1000)
                while alert_id is not None and alert_id not in receiver.arrived and time.perf_counter() - t0 < 30:
                    time.sleep(0.005)
                if alert_id is not None and alert_id in receiver.arrived:
                    sent.append(receiver.arrived[alert_id] - t0)
                time.sleep(args.write_gap_s)
        results["write_to_alert_readable"] = stats(readable)
        results["write_to_webhook_received"] = stats(sent)
        results["writes"] = args.writes
    finally:
        stop_server(server)
        receiver.server.shutdown()
    path = OUT / f"changes-{args.enterprises}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
