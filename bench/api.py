"""API benchmark (issue 4 item 11), on loopback.

Neo4j on this machine (the local instance `--instance`, or NEO4J_URI) holds the generated bundle
(`--enterprises`, 100k by default, loaded once and reused; the checks and audit entries earlier
runs stored are removed first); uvicorn serves the app in its own
process; the load generator runs in another process: an asyncio HTTP/1.1 client with a pool of
keep-alive connections that sends at a fixed offered rate (open loop: each request has a scheduled
time, and its latency counts from that time, so a slow server cannot slow the generator down and
hide its queueing). Measured, in one run:

- single checks (POST /v1/checks) at each offered rate of `--rates`: achieved rate, p50, p99, errors;
- batch checks (POST /v1/checks/batch, 1,000 subjects each), `--batch-clients` in a closed loop:
  subjects per second, p50 and p99 per batch;
- related parties at depth 2 (GET /v1/subjects/{id}/network?depth=2) and penetration
  (GET /v1/enterprises/{uscc}/shareholders) at a fixed rate: p50 and p99;
- search (GET /v1/search) at `--search-rate` (50/s): queries drawn from the bundle's names with the
  variations real users type (whole name, core name, a region added, traditional characters, part
  of a name, a typo, a person in pinyin or with a space, a USCC prefix): p50, p90, p99;
- the baseline: the same checks answered straight from Neo4j by the statement the API uses
  (cypher/credit/check_batch with one entry, materialised liabilities) and by one that ignores them and walks
  records, roles and holdings at query time (cypher/checks/baseline), closed loop, same subjects;
- the cost of a check's durability (`--check-durability`, default `journal,memory`): the run above
  is made with the first mode; for each further one the server is started again in that mode
  (CREDIT_GRAPH_CHECK_DURABILITY) and the single-check and batch phases are measured again, so
  `durability` in the results compares each check journalled and fsynced before its answer with
  the old write-behind only, in the same run.

    .venv/bin/python bench/api.py --enterprises 100000 --instance bench_api

Results: bench/out/api-<enterprises>.json and a summary on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT, env_for, machine

ACTIONS = ("public_procurement_bid", "flight", "licence_application", "serve_as_legal_representative",
           "green_channel", "credit_loan")


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def summary(lat_s: list[float], statuses: list[int], elapsed: float) -> dict:
    ok = [x for x, s in zip(lat_s, statuses) if s == 200]
    return {"requests": len(statuses), "ok": len(ok), "errors": len(statuses) - len(ok),
            "achieved_per_s": round(len(ok) / elapsed, 1) if elapsed else None,
            "p50_ms": round(pct(ok, 0.5) * 1000, 2) if ok else None,
            "p90_ms": round(pct(ok, 0.9) * 1000, 2) if ok else None,
            "p99_ms": round(pct(ok, 0.99) * 1000, 2) if ok else None,
            "max_ms": round(max(ok) * 1000, 2) if ok else None}


# --- the load generator (its own process) -------------------------------------------------------

async def _send(host: str, port: int, queue: asyncio.Queue, out: list, timeout_s: float) -> None:
    reader = writer = None
    while True:
        item = await queue.get()
        if item is None:
            break
        scheduled, raw = item
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(raw)
            # The head in one read and asyncio.timeout rather than wait_for (a task per request):
            # the generator shares the two cores with the server and Neo4j.
            async with asyncio.timeout(timeout_s):
                head = (await reader.readuntil(b"\r\n\r\n")).lower()
                status = int(head.split(None, 2)[1])
                at = head.find(b"\r\ncontent-length:")
                length = int(head[at + 17:head.index(b"\r\n", at + 2)]) if at >= 0 else 0
                await reader.readexactly(length)
        except Exception:  # a dropped or timed-out connection: counted as an error, reopened
            status = 599
            if writer is not None:
                writer.close()
            reader = writer = None
        out.append((time.perf_counter() - scheduled, status))


def _request(method: str, path: str, headers: dict, body: bytes | None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


async def open_loop(spec: dict) -> dict:
    """Requests of `spec` cycled at `rate` per second for `duration` seconds."""
    reqs = [_request(r["method"], r["path"], spec["headers"], r["body"].encode() if r.get("body") else None)
            for r in spec["requests"]]
    queue: asyncio.Queue = asyncio.Queue()
    out: list = []
    workers = [asyncio.create_task(_send(spec["host"], spec["port"], queue, out, spec.get("timeout_s", 10)))
               for _ in range(spec["connections"])]
    rate, n = spec["rate"], int(spec["rate"] * spec["duration"])
    t0 = time.perf_counter() + 0.2
    for i in range(n):
        at = t0 + i / rate
        delay = at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((at, reqs[i % len(reqs)]))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - t0
    return summary([x for x, _ in out], [s for _, s in out], elapsed) | {"offered_per_s": rate}


async def closed_loop(spec: dict) -> dict:
    """`clients` connections each sending the next request as soon as the previous one answered."""
    reqs = [_request(r["method"], r["path"], spec["headers"], r["body"].encode() if r.get("body") else None)
            for r in spec["requests"]]
    out: list = []
    end = time.perf_counter() + spec["duration"]
    counter = iter(range(10**9))

    async def client():
        # Its own list of answers: one request outstanding per client (with a shared list, an
        # answer to another client would let this one send again before its own came back).
        q: asyncio.Queue = asyncio.Queue()
        mine: list = []
        task = asyncio.create_task(_send(spec["host"], spec["port"], q, mine, spec.get("timeout_s", 60)))
        while time.perf_counter() < end:
            done = len(mine)
            q.put_nowait((time.perf_counter(), reqs[next(counter) % len(reqs)]))
            while len(mine) == done:
                await asyncio.sleep(0.0005)
        q.put_nowait(None)
        await task
        out.extend(mine)

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(spec["clients"])))
    return summary([x for x, _ in out], [s for _, s in out], time.perf_counter() - t0)


async def direct(spec: dict) -> dict:
    """The baseline: checks straight from Neo4j, closed loop with `clients` concurrent sessions."""
    import neo4j

    from graph_service.cypher import query
    from graph_service.db import async_driver, connection
    from graph_service.domain.catalogue import catalogue
    from graph_service.propagation.steps import rule_param

    cat = catalogue()
    codes = {a: sorted(c for c, m in cat.measures.items() if a in m.actions) for a in ACTIONS}
    rules = {a: [{**rule_param(r), "reach": r.reach.kind} for r in cat.rules
                 if r.lost_when is None and set(r.measures) & set(codes[a])] for a in ACTIONS}
    as_of = dt.date.fromisoformat(spec["as_of"])
    items = spec["items"]
    results: dict[str, dict] = {}

    async def phase(drv: neo4j.AsyncDriver, name: str) -> dict:
        lat: list[float] = []
        decisions: dict[int, bool] = {}
        end = time.perf_counter() + spec["duration"]
        counter = iter(range(10**9))

        async def client():
            async with drv.session(default_access_mode=neo4j.READ_ACCESS) as s:
                while time.perf_counter() < end:
                    i = next(counter) % len(items)
                    sid, action = items[i]
                    t = time.perf_counter()
                    if name == "materialised":
                        check = {"subject_id": sid, "as_of": as_of.isoformat(), "measures": codes[action]}
                        rows = await (await s.run(query("credit/check_batch"), checks=[check])).data()
                        bound = bool(rows and rows[0]["rows"][0]["liabilities"])
                    else:
                        rows = await (await s.run(query("bench/check_baseline"), subject_id=sid, as_of=as_of,
                                                  rules=rules[action])).data()
                        bound = bool(rows)
                    lat.append(time.perf_counter() - t)
                    decisions[i] = bound

        t0 = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(spec["clients"])))
        out = summary(lat, [200] * len(lat), time.perf_counter() - t0)
        out["bound"] = decisions
        return out

    async with async_driver(connection()) as drv:
        for name in ("materialised", "baseline"):
            results[name] = await phase(drv, name)
    m, b = results["materialised"].pop("bound"), results["baseline"].pop("bound")
    common = set(m) & set(b)
    results["agreement"] = round(sum(m[i] == b[i] for i in common) / len(common), 4) if common else None
    return results


def generator_main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    fn = {"open": open_loop, "closed": closed_loop, "direct": direct}[spec["mode"]]
    print(json.dumps(asyncio.run(fn(spec))))


def generate(spec: dict, env: dict) -> dict:
    path = OUT / f"api-spec-{os.getpid()}.json"
    path.write_text(json.dumps(spec))
    try:
        out = subprocess.run([sys.executable, __file__, "--generator", str(path)], env=env, capture_output=True,
                             text=True, timeout=spec["duration"] * 4 + 300)
    finally:
        path.unlink(missing_ok=True)
    if out.returncode != 0:
        raise SystemExit(f"generator failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the run ------------------------------------------------------------------------------------

def connection(args):
    from graph_service import neo4j_local
    from graph_service.db import Connection

    if os.environ.get("NEO4J_URI"):
        from bench.common import bench_connection

        return bench_connection()
    st = neo4j_local.start(args.instance, echo=lambda *a: None)
    return Connection(st.uri, st.username, st.password, "neo4j")


def ensure_bundle(conn, args) -> float | None:
    """Load the generated bundle unless the database already holds it; the seconds the load took."""
    from bench.common import reset_database
    from bench.load import bundle_for
    from graph_service.db import driver
    from loaders import load_bundle

    bundle = bundle_for(args.enterprises, args.seed)
    # The instance is the benchmark's own: a marker file says which bundle it holds.
    marker = OUT / ("api-loaded-" + "".join(c if c.isalnum() else "_" for c in conn.uri) + ".json")
    if marker.exists() and json.loads(marker.read_text()).get("bundle") == str(bundle) and not args.reload:
        return None
    reset_database(conn)
    t0 = time.perf_counter()
    with driver(conn) as drv:
        result = load_bundle(drv, bundle)
    elapsed = time.perf_counter() - t0
    marker.write_text(json.dumps({"bundle": str(bundle), "rejected": result.rejected, "seconds": elapsed}))
    return elapsed


def clear_checks(conn) -> tuple[int, float]:
    """Removes the checks and audit entries earlier runs stored; (how many were removed, seconds)."""
    from graph_service.cypher import query
    from graph_service.db import driver

    t0 = time.perf_counter()
    with driver(conn) as drv:
        with drv.session(database=conn.database) as session:
            removed = session.run(query("bench/clear_checks")).consume().counters.nodes_deleted
    return removed, round(time.perf_counter() - t0, 1)


def sample(conn, n: int, seed: int) -> dict[str, list[str]]:
    from graph_service.cypher import query
    from graph_service.db import driver

    rng = random.Random(seed)
    with driver(conn) as drv:
        rows = drv.execute_query(query("bench/sample_subjects"), n=n, skip=rng.randrange(0, 1000)).records
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["kind"], []).append(r["id"])
    return out


def search_queries(conn, n: int, seed: int) -> list[dict]:
    """GET /v1/search requests: names of the bundle, each written one of the ways users write them."""
    import opencc

    from graph_service.cypher import query
    from graph_service.db import driver
    from graph_service.domain.names import core_name
    from graph_service.facts.search_keys import person_names

    rng = random.Random(seed)
    with driver(conn) as drv:
        rows = drv.execute_query(query("bench/sample_names"), n=n, skip=rng.randrange(0, 1000)).records
    s2t = opencc.OpenCC("s2t")

    def typo(text: str) -> str:
        i = rng.randrange(len(text))
        return text[:i] + "的" + text[i + 1:]

    out = []
    for i, r in enumerate(rows):
        name, core = r["name"], core_name(r["name"])
        if r["kind"] == "enterprise":
            forms = [name, core, "湖南省" + name, s2t.convert(name), core[:2], typo(core), r["id"][:8]]
        else:
            spelled = person_names(name)["pinyin_keys"] or [name]
            forms = [name, " ".join(name), s2t.convert(name), spelled[0]]
        text = forms[i % len(forms)]
        out.append({"method": "GET", "path": "/v1/search?q=" + urllib.parse.quote(text)})
    rng.shuffle(out)
    return out


def wait_ready(url: str, timeout_s: float = 180) -> float:
    """Seconds until /readyz answers 200 (the workers' warm-up included)."""
    t0 = time.time()
    while time.time() < t0 + timeout_s:
        try:
            with urllib.request.urlopen(url + "/readyz", timeout=2) as r:
                if r.status == 200:
                    return round(time.time() - t0, 1)
        except Exception:
            pass
        time.sleep(0.5)
    raise SystemExit("the API did not become ready")


def drain_check_log(conn, settle_s: float = 3.0, limit_s: float = 300.0) -> float:
    """Seconds until the number of stored checks stops growing for `settle_s`."""
    from graph_service.cypher import query
    from graph_service.db import driver

    t0 = time.perf_counter()
    with driver(conn) as drv:
        last, since = -1, time.perf_counter()
        while time.perf_counter() - t0 < limit_s:
            n = drv.execute_query(query("bench/check_count")).records[0]["checks"]
            if n != last:
                last, since = n, time.perf_counter()
            elif time.perf_counter() - since >= settle_s:
                break
            time.sleep(0.5)
    return round(time.perf_counter() - t0, 1)


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--generator", help=argparse.SUPPRESS)
    p.add_argument("--enterprises", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--instance", default="bench", help="local Neo4j instance (when NEO4J_URI is not set)")
    p.add_argument("--reload", action="store_true", help="load the bundle again even if loaded")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    p.add_argument("--rates", default="250,500,1000", help="offered single checks per second, one phase each")
    p.add_argument("--duration", type=float, default=20, help="seconds of each measured phase")
    p.add_argument("--connections", type=int, default=128)
    # Four: each client keeps one connection, and uvicorn's workers accept connections as they
    # come, so with two clients both land on one worker about half the time.
    p.add_argument("--batch-clients", type=int, default=4)
    p.add_argument("--read-rate", type=float, default=20, help="offered network and penetration reads per second")
    p.add_argument("--search-rate", type=float, default=50, help="offered searches per second")
    p.add_argument("--baseline-clients", type=int, default=4)
    p.add_argument("--as-of", default=dt.date.today().isoformat())
    p.add_argument("--check-durability", default="journal,memory",
                   help="CREDIT_GRAPH_CHECK_DURABILITY of the server, one run of the check phases each; the "
                        "first also serves the read phases")
    args = p.parse_args()
    if args.generator:
        generator_main(args.generator)
        return

    from graph_service.access import keys
    from graph_service.db import driver

    OUT.mkdir(parents=True, exist_ok=True)
    conn = connection(args)
    env = env_for(conn)
    # One instance, no cluster: bolt:// spares the driver its routing table.
    env["NEO4J_URI"] = conn.uri.replace("neo4j://", "bolt://", 1)
    load_s = ensure_bundle(conn, args)
    checks_removed, clear_s = clear_checks(conn)
    subjects = sample(conn, 2000, args.seed)
    rng = random.Random(args.seed)
    pool = subjects.get("enterprise", []) + subjects.get("person", [])
    bound = subjects.get("bound_enterprise", []) + subjects.get("bound_person", [])
    # Half the checks on subjects some liability binds, half on any subject.
    items = [(rng.choice(bound if i % 2 and bound else pool), ACTIONS[i % len(ACTIONS)]) for i in range(4000)]
    with driver(conn) as drv:
        _, key = keys.create(drv, "admin", None, "bench/api.py")
    headers = {"X-API-Key": key, "Connection": "keep-alive"}

    modes = args.check_durability.split(",")
    server_env = dict(env, CREDIT_GRAPH_API_KEY_CACHE_S="3600",
                      CREDIT_GRAPH_CHECK_JOURNAL_DIR=str(OUT / "check-journal"))

    def start_server(mode: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "graph_service.app:create_app", "--host", "127.0.0.1",
             "--port", str(args.port), "--workers", str(args.workers), "--no-access-log", "--log-level", "warning"],
            env=dict(server_env, CREDIT_GRAPH_CHECK_DURABILITY=mode))

    server = start_server(modes[0])
    base = {"host": "127.0.0.1", "port": args.port, "headers": headers}
    results: dict = {"machine": machine(), "enterprises": args.enterprises, "workers": args.workers,
                     "as_of": args.as_of, "bundle_load_s": load_s, "earlier_checks_removed": checks_removed,
                     "clear_s": clear_s, "check_durability": modes[0],
                     "command": "bench/api.py " + " ".join(sys.argv[1:])}
    single = [{"method": "POST", "path": "/v1/checks",
               "body": json.dumps({"subject_id": s, "action": a, "as_of": args.as_of})} for s, a in items]
    batches = []
    for b in range(8):
        chunk = items[b * 500:(b * 500) + 1000] if (b * 500 + 1000) <= len(items) else items[:1000]
        batches.append({"method": "POST", "path": "/v1/checks/batch", "body": json.dumps({"queries": {
            f"k{i}": {"subject_id": s, "action": a, "as_of": args.as_of} for i, (s, a) in enumerate(chunk)}})})

    def check_phases() -> tuple[list[dict], dict]:
        singles = [generate({**base, "mode": "open", "rate": float(rate), "duration": args.duration,
                             "connections": args.connections, "requests": single}, env)
                   for rate in args.rates.split(",")]
        batch = generate({**base, "mode": "closed", "clients": args.batch_clients, "duration": args.duration,
                          "requests": batches, "timeout_s": 120}, env)
        batch["subjects_per_s"] = round(batch["achieved_per_s"] * 1000, 1) if batch["achieved_per_s"] else None
        return singles, batch

    try:
        results["ready_after_s"] = wait_ready(f"http://127.0.0.1:{args.port}")
        network = [{"method": "GET", "path": f"/v1/subjects/{s}/network?depth=2&as_of={args.as_of}"}
                   for s in (pool[:500] + bound[:500])]
        enterprises = subjects.get("enterprise", [])[:1000]
        penetration = [{"method": "GET", "path": f"/v1/enterprises/{u}/shareholders?as_of={args.as_of}"}
                       for u in enterprises]
        # Warm the caches of Neo4j and of both workers, unmeasured: each kind of request once in a
        # while (a statement Neo4j has not planned yet costs hundreds of milliseconds the first
        # time), on subjects the measured phases do not ask about.
        generate({**base, "mode": "open", "rate": 200, "duration": 5, "connections": 32, "requests": single}, env)
        for warm in (network, penetration):
            generate({**base, "mode": "open", "rate": args.read_rate, "duration": 2, "connections": 32,
                      "requests": warm[::-1]}, env)
        results["single_checks"], results["batch_checks"] = check_phases()
        results["durability"] = {modes[0]: {"single_checks": results["single_checks"],
                                            "batch_checks": results["batch_checks"]}}
        # The check log writes the answered checks behind the answers (162k after a batch phase):
        # measure the reads once it has drained, not while Neo4j is still storing the batches.
        results["drain_s"] = drain_check_log(conn)
        results["network_depth2"] = generate({**base, "mode": "open", "rate": args.read_rate,
                                              "duration": args.duration, "connections": 32,
                                              "requests": network}, env)
        results["penetration"] = generate({**base, "mode": "open", "rate": args.read_rate,
                                           "duration": args.duration, "connections": 32,
                                           "requests": penetration}, env)
        searches = search_queries(conn, 1000, args.seed)
        # Unmeasured first: other queries, so that each worker has planned the statements.
        generate({**base, "mode": "open", "rate": args.search_rate, "duration": 3, "connections": 32,
                  "requests": searches[::-1]}, env)
        results["search"] = generate({**base, "mode": "open", "rate": args.search_rate, "duration": args.duration,
                                      "connections": 32, "requests": searches}, env)
        for mode in modes[1:]:
            stop_server(server)
            results["durability"][mode] = {"drain_s": drain_check_log(conn)}
            server = start_server(mode)
            wait_ready(f"http://127.0.0.1:{args.port}")
            generate({**base, "mode": "open", "rate": 200, "duration": 5, "connections": 32, "requests": single}, env)
            singles, batch = check_phases()
            results["durability"][mode].update(single_checks=singles, batch_checks=batch)
    finally:
        stop_server(server)
    results["check_queries_direct"] = generate({"mode": "direct", "clients": args.baseline_clients,
                                                "duration": args.duration, "as_of": args.as_of,
                                                "items": items[:2000]}, env)
    path = OUT / f"api-{args.enterprises}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
