"""Workbench timing (issue 19, Performance): Playwright drives the machine's Chromium against the
app served by uvicorn in its own process, on the graph Neo4j holds (NEO4J_URI, else the local
instance `--instance`, `bench` by default; load the bundle first, e.g. the demo or the 100k one
bench/api.py generates). Measured, `--rounds` times each (median and worst):

- `page_ms`: from navigating to `/` to the sign-in dialog ready (the page and its scripts);
- `signed_in_ms`: from submitting the key to the first screen drawn (GET /v1/me and the catalogue);
- `subject_ms`: a subject page with its facts and liabilities shown;
- `canvas_ms`: the depth-2 network of the enterprise with the most links (or `--subject`) fetched,
  laid out and drawn (nodes drawn reported: the answer stops at CREDIT_GRAPH_NETWORK_MAX_NODES, 500);
- `expand_ms`: a click on a node of the first ring until its links are drawn.

    .venv/bin/python bench/workbench.py --instance bench_api --rounds 5

Targets (issue 19): first page usable <= 1 s, canvas of 500 nodes <= 1.5 s, expanding <= 300 ms on
the 100k graph. Results: bench/out/workbench.json and a summary on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, env_for, machine
from graph_service import neo4j_local
from graph_service.access import keys
from graph_service.cypher import query
from graph_service.db import Connection, driver

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--lang=zh-CN"]


# A node of the first ring that nothing else covers at its centre: with 500 nodes drawn, the first
# one may lie under another node or a "+N" node (placed beside its owner), and a click there would
# page that one in rather than expand the node (no expansion counted: the run used to time out).
_FREE_NODE = """() => {
  const cy = window.__workbench.cy;
  const inside = (b, p) => p.x >= b.x1 && p.x <= b.x2 && p.y >= b.y1 && p.y <= b.y2;
  const ext = cy.extent();
  for (const n of cy.nodes('[depth = 1][kind != "more"]')) {
    const p = n.position();
    if (!inside(ext, p)) continue;
    if (cy.nodes().some((o) => o.id() !== n.id() && inside(o.boundingBox(), p))) continue;
    return n.renderedPosition();
  }
  return null;
}"""


def _connection(instance: str) -> Connection:
    if os.environ.get("NEO4J_URI"):
        return Connection(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USERNAME", "neo4j"),
                          os.environ.get("NEO4J_PASSWORD", ""), os.environ.get("NEO4J_DATABASE", "neo4j"))
    st = neo4j_local.start(instance, echo=lambda *a: None)
    return Connection(st.uri, st.username, st.password, "neo4j")


def _serve(conn: Connection, port: int) -> subprocess.Popen:
    env = {**env_for(conn), "CREDIT_GRAPH_PORT": str(port)}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "graph_service.app:create_app",
                               "--port", str(port), "--log-level", "warning"], env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # ready: schema applied and warmed up, as in production
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the service did not become ready in 120 s")


def _stats(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 1), "max": round(max(values), 1), "n": len(values)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--instance", default="bench", help="local Neo4j instance when NEO4J_URI is unset")
    ap.add_argument("--subject", help="USCC of the canvas (default: the enterprise with the most links)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--port", type=int, default=8766)
    ap.add_argument("--chromium", default=os.environ.get("CREDIT_GRAPH_CHROMIUM") or shutil.which("chromium"))
    args = ap.parse_args()
    if not args.chromium:
        raise SystemExit("Chromium is not installed (Debian: apt-get install chromium fonts-noto-cjk)")

    from playwright.sync_api import sync_playwright

    conn = _connection(args.instance)
    with driver(conn) as drv:
        _, key = keys.create(drv, "admin", None, "bench/workbench.py", conn.database)
        hub = args.subject
        links = None
        if not hub:
            rows = drv.execute_query(query("bench/workbench_hub"), database_=conn.database).records
            if not rows:
                raise SystemExit("the graph holds no enterprise: load a bundle first (credit-graph load ...)")
            hub, links = rows[0]["uscc"], rows[0]["links"]
    server = _serve(conn, args.port)
    base = f"http://127.0.0.1:{args.port}"
    times: dict[str, list[float]] = {k: [] for k in ("page_ms", "signed_in_ms", "subject_ms", "canvas_ms", "expand_ms")}
    nodes_drawn = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
            for _ in range(args.rounds):
                ctx = browser.new_context(locale="zh-CN", viewport={"width": 1500, "height": 950})
                page = ctx.new_page()
                t0 = time.perf_counter()
                page.goto(base + "/")
                page.wait_for_selector("#sign-in[open] #key-input")
                times["page_ms"].append((time.perf_counter() - t0) * 1000)
                page.fill("#key-input", key)
                t0 = time.perf_counter()
                page.click("#sign-in-form button[type=submit]")
                page.wait_for_selector("section.home")
                times["signed_in_ms"].append((time.perf_counter() - t0) * 1000)

                t0 = time.perf_counter()
                page.evaluate("h => { location.hash = h; }", f"#/subject/enterprise/{hub}")
                page.wait_for_selector("#liabilities, #check-action + *", state="attached")
                page.wait_for_function("() => !document.querySelector('.col-main .spinner')")
                times["subject_ms"].append((time.perf_counter() - t0) * 1000)

                t0 = time.perf_counter()
                page.evaluate("h => { location.hash = h; }", f"#/graph/enterprise/{hub}?depth=2")
                page.wait_for_selector("#canvas-status[data-ready='1']", state="attached", timeout=60_000)
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                times["canvas_ms"].append((time.perf_counter() - t0) * 1000)
                nodes_drawn.append(page.evaluate("() => window.__workbench.cy.nodes().length"))

                box = page.locator("#cy").bounding_box()
                pos = page.evaluate(_FREE_NODE)
                if pos:
                    t0 = time.perf_counter()
                    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
                    page.wait_for_selector("#canvas-status[data-expansions='1']", state="attached", timeout=30_000)
                    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                    times["expand_ms"].append((time.perf_counter() - t0) * 1000)
                ctx.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)

    result = {"machine": machine(), "subject": hub, "subject_links": links, "nodes_drawn": nodes_drawn,
              **{k: _stats(v) for k, v in times.items() if v}}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "workbench.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
