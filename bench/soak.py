"""A soak of the API (issue 15, "a 60-second soak in bench/"): not a timed test, a run to read.

The demo bundle (loaders/demo) in Neo4j (the local instance `--instance`, or NEO4J_URI; loaded
unless it is there already), the API served by uvicorn on 127.0.0.1 in its own process(es), and a
bounded mixed request loop from this process for `--duration` seconds: `--clients` clients, each
with one request outstanding, together at most `--rate` requests a second, cycling over single
checks, small batch checks, networks of depth 2, the black and red lists and credit reads of
enterprises and persons. Every `--every` seconds a line: requests, errors, p99 of the window and
the RSS of the server's processes (and of Neo4j's JVM when it is the local instance). At the end a
summary per kind of request (count, errors by status, p50, p99, max) and the RSS over time; the
whole in bench/out/soak.json.

    .venv/bin/python bench/soak.py --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import psutil

from bench.api import pct, stop_server, wait_ready
from bench.common import OUT, env_for, machine

DEMO = Path(__file__).resolve().parent.parent / "loaders" / "demo"
AS_OF = "2026-11-26"  # the reference day of the demo stories
ACTIONS = ("flight", "public_procurement_bid", "green_channel", "credit_loan", "licence_application")


def connection(instance: str):
    from graph_service import neo4j_local
    from graph_service.db import Connection

    if os.environ.get("NEO4J_URI"):
        from bench.common import bench_connection

        return bench_connection(), None
    st = neo4j_local.start(instance, echo=lambda *a: None)
    return Connection(st.uri, st.username, st.password, "neo4j"), st.pid


def ensure_demo(conn) -> list[tuple[str, str]]:
    """Loads the demo bundle unless its load is recorded; the (kind, id) of its subjects."""
    from graph_service.cypher import query
    from graph_service.db import driver
    from loaders import load_bundle
    from loaders.bundle import open_bundle

    load_id = open_bundle(DEMO)[2]
    with driver(conn) as drv:
        loads = drv.execute_query(query("testing/load_status"), load_id=load_id).records
        if not loads or loads[0]["status"] != "done":
            result = load_bundle(drv, DEMO)
            if result.rejected:
                raise SystemExit(f"the demo bundle loaded with {result.rejected} rejected rows")
        rows = drv.execute_query(query("bench/sample_subjects"), n=200, skip=0).records
    return [(r["kind"].removeprefix("bound_"), r["id"]) for r in rows]


def requests_of(subjects: list[tuple[str, str]], seed: int) -> list[tuple[str, str, str, dict | None]]:
    """(kind, method, path, body) cycled by the clients: about half checks, the rest reads."""
    rng = random.Random(seed)
    enterprises = [i for k, i in subjects if k == "enterprise"]
    # Resident ids only: a passport number needs ?id_type= on the person endpoints.
    persons = [i for k, i in subjects if k == "person" and len(i) == 18]
    everyone = enterprises + persons
    out = []
    for n in range(2000):
        r = rng.random()
        subject = rng.choice(everyone)
        if r < 0.45:
            out.append(("check", "POST", "/v1/checks",
                        {"subject_id": subject, "action": rng.choice(ACTIONS), "as_of": AS_OF}))
        elif r < 0.50:
            out.append(("batch", "POST", "/v1/checks/batch", {"queries": {
                f"k{i}": {"subject_id": rng.choice(everyone), "action": rng.choice(ACTIONS), "as_of": AS_OF}
                for i in range(20)}}))
        elif r < 0.65:
            out.append(("network", "GET", f"/v1/subjects/{subject}/network?depth=2&as_of={AS_OF}", None))
        elif r < 0.75:
            which = "black" if n % 2 else "red"
            out.append(("lists", "GET", f"/v1/lists/{which}?limit=50", None))
        elif r < 0.875 or not persons:
            out.append(("credit", "GET", f"/v1/enterprises/{rng.choice(enterprises)}/credit?as_of={AS_OF}", None))
        else:
            out.append(("credit", "GET", f"/v1/persons/{rng.choice(persons)}/credit?as_of={AS_OF}", None))
    return out


def rss_mb(pids: list[int]) -> float:
    """Resident memory of the processes and their children, in MiB."""
    total = 0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            for p in [proc, *proc.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
    return round(total / 2**20, 1)


async def soak(base: str, headers: dict, reqs: list, args, server_pid: int, neo4j_pid: int | None) -> dict:
    done: list[tuple[float, str, int, float]] = []  # (finished at, kind, status, latency s)
    samples: dict[str, list[str]] = {}  # the first error answers of each kind
    timeline: list[dict] = []
    t0 = time.perf_counter()
    end = t0 + args.duration
    slot = [t0]
    counter = iter(range(10**9))

    async def client(ac: httpx.AsyncClient) -> None:
        while True:
            # The shared schedule bounds the rate; each client keeps one request outstanding.
            at = slot[0] = max(slot[0] + 1 / args.rate, time.perf_counter() - 1)
            if at >= end:
                return
            if at > time.perf_counter():
                await asyncio.sleep(at - time.perf_counter())
            kind, method, path, body = reqs[next(counter) % len(reqs)]
            t = time.perf_counter()
            try:
                r = await ac.request(method, path, json=body)
                status = r.status_code
                text = r.text
            except httpx.HTTPError as exc:
                status, text = 599, repr(exc)
            if status != 200 and len(samples.setdefault(kind, [])) < 3:
                samples[kind].append(f"{status} {method} {path}: {text[:300]}")
            done.append((time.perf_counter(), kind, status, time.perf_counter() - t))

    async def sampler() -> None:
        seen = 0
        while time.perf_counter() < end:
            await asyncio.sleep(min(args.every, max(0.0, end - time.perf_counter())))
            window = done[seen:]
            seen += len(window)
            lat = [x for _, _, s, x in window if s == 200]
            row = {"t_s": round(time.perf_counter() - t0, 1), "requests": len(window),
                   "errors": sum(1 for _, _, s, _ in window if s != 200),
                   "p99_ms": round(pct(lat, 0.99) * 1000, 1) if lat else None,
                   "server_rss_mb": rss_mb([server_pid]),
                   "neo4j_rss_mb": rss_mb([neo4j_pid]) if neo4j_pid else None}
            timeline.append(row)
            print(json.dumps(row), flush=True)

    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30, limits=limits) as ac:
        await asyncio.gather(sampler(), *(client(ac) for _ in range(args.clients)))
    elapsed = time.perf_counter() - t0
    kinds: dict[str, dict] = {}
    for kind in sorted({k for _, k, _, _ in done}):
        mine = [(s, x) for _, k, s, x in done if k == kind]
        ok = [x for s, x in mine if s == 200]
        errors: dict[str, int] = {}
        for s, _ in mine:
            if s != 200:
                errors[str(s)] = errors.get(str(s), 0) + 1
        kinds[kind] = {"requests": len(mine), "errors": errors,
                       "p50_ms": round(pct(ok, 0.5) * 1000, 1) if ok else None,
                       "p99_ms": round(pct(ok, 0.99) * 1000, 1) if ok else None,
                       "max_ms": round(max(ok) * 1000, 1) if ok else None,
                       "error_samples": samples.get(kind, [])}
    ok = [x for _, _, s, x in done if s == 200]
    rss = [r["server_rss_mb"] for r in timeline]
    return {"duration_s": round(elapsed, 1), "requests": len(done), "per_s": round(len(done) / elapsed, 1),
            "errors": sum(1 for _, _, s, _ in done if s != 200),
            "p50_ms": round(pct(ok, 0.5) * 1000, 1) if ok else None,
            "p99_ms": round(pct(ok, 0.99) * 1000, 1) if ok else None,
            "server_rss_mb": {"first": rss[0] if rss else None, "last": rss[-1] if rss else None,
                              "max": max(rss) if rss else None},
            "kinds": kinds, "timeline": timeline}


def _listens(proc: psutil.Process, port: int) -> bool:
    try:
        return any(c.laddr and c.laddr.port == port and c.status == psutil.CONN_LISTEN for c in proc.net_connections())
    except psutil.Error:
        return False


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=float, default=60, help="seconds of the request loop")
    p.add_argument("--rate", type=float, default=200, help="at most this many requests a second in all")
    p.add_argument("--clients", type=int, default=16, help="concurrent clients, one request outstanding each")
    p.add_argument("--every", type=float, default=5, help="seconds between two timeline lines")
    p.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    p.add_argument("--port", type=int, default=8766)
    p.add_argument("--instance", default="soak", help="local Neo4j instance (when NEO4J_URI is not set)")
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()

    from graph_service.access import keys
    from graph_service.db import driver

    OUT.mkdir(parents=True, exist_ok=True)
    conn, neo4j_pid = connection(args.instance)
    if neo4j_pid is None:  # NEO4J_URI: Neo4j's JVM too when it is a local instance on that port
        neo4j_pid = next((p.pid for p in psutil.process_iter(["name", "cmdline"])
                          if "java" in (p.info["name"] or "") and any(
                              a.endswith("--console-mode") for a in p.info["cmdline"] or [])
                          and _listens(p, int(conn.uri.rsplit(":", 1)[1]))), None)
    subjects = ensure_demo(conn)
    with driver(conn) as drv:
        _, key = keys.create(drv, "admin", None, "bench/soak.py")
    env = dict(env_for(conn), NEO4J_URI=conn.uri.replace("neo4j://", "bolt://", 1),
               CREDIT_GRAPH_CHECK_JOURNAL_DIR=str(OUT / "soak-journal"))
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "graph_service.app:create_app", "--host", "127.0.0.1",
         "--port", str(args.port), "--workers", str(args.workers), "--no-access-log", "--log-level", "warning"],
        env=env)
    try:
        ready_s = wait_ready(f"http://127.0.0.1:{args.port}")
        headers = {"X-API-Key": key, "X-Purpose": "bench/soak.py"}
        result = asyncio.run(soak(f"http://127.0.0.1:{args.port}", headers, requests_of(subjects, args.seed), args,
                                  server.pid, neo4j_pid))
    finally:
        stop_server(server)
    result = {"machine": machine(), "command": "bench/soak.py " + " ".join(sys.argv[1:]),
              "load_average_1m": round(os.getloadavg()[0], 1), "ready_after_s": ready_s, **result}
    path = OUT / "soak.json"
    path.write_text(json.dumps(result, indent=2))
    summary = {k: v for k, v in result.items() if k != "timeline"}
    print(json.dumps(summary, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
