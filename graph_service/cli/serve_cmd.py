"""`credit-graph serve` and `credit-graph demo`."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import typer
import uvicorn

from graph_service import db, neo4j_local
from graph_service.access import keys
from graph_service.api.examples import DEMO_USCC
from graph_service.cli import app, console
from graph_service.settings import neo4j_settings, service_settings
from loaders import load_bundle

DEMO_BUNDLE = Path(str(files("loaders") / "demo"))


def _check_neo4j() -> None:
    try:
        db.connection()
    except db.NoNeo4j as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc


def _run(host: str, port: int) -> None:
    uvicorn.run("graph_service.app:create_app", factory=True, host=host, port=port,
                proxy_headers=True, log_level="info")


@app.command("serve")
def serve(
    host: str = typer.Option(None, help="interface to listen on [default: CREDIT_GRAPH_HOST or 127.0.0.1]"),
    port: int = typer.Option(None, help="port [default: CREDIT_GRAPH_PORT or 8000]"),
) -> None:
    """Serve the HTTP API on the configured Neo4j (NEO4J_URI, else the running local instance)."""
    s = service_settings()
    _check_neo4j()
    _run(host or s.host, port or s.port)


@app.command("demo")
def demo(
    host: str = typer.Option("127.0.0.1", help="interface to listen on"),
    port: int = typer.Option(8000, help="port"),
    serve_api: bool = typer.Option(True, "--serve/--no-serve", help="start the API after loading"),
) -> None:
    """Start the local Neo4j if needed (installing it first), load the Chenzhou demo bundle, and serve.

    Prints an admin API key made for the session and the URL of a demo enterprise.
    """
    if not neo4j_settings().uri:
        st = neo4j_local.start("default", echo=console.print)
        console.print(f"Neo4j is running at {st.uri} (logs: {st.log})")
    _check_neo4j()
    database = neo4j_settings().database
    with db.driver() as drv:
        db.apply_schema(drv, database)
        console.print(f"loading the demo bundle {DEMO_BUNDLE} ...")
        result = load_bundle(drv, DEMO_BUNDLE, database=database)
        if not result.ok:
            for issue in result.rejections:
                console.print(f"[red]rejected[/red] {issue}")
            console.print("[red]error:[/red] the demo bundle did not load cleanly")
            raise typer.Exit(1)
        rows = sum(c.loaded for c in result.files.values())
        console.print(f"demo bundle loaded: {rows} rows ({result.elapsed:.1f}s)")
        _, key = keys.create(drv, "admin", None, "credit-graph demo", database)
    base = f"http://{host}:{port}"
    # Plain echo, not rich: a wrapped key or URL could not be copied.
    typer.echo(f"\nadmin API key (shown once): {key}\n"
               f"workbench (sign in with the key): {base}/\n"
               f"API documentation: {base}/docs\n"
               f"a demo enterprise: {base}/v1/enterprises/{DEMO_USCC}\n"
               f"  curl -H 'X-API-Key: {key}' {base}/v1/enterprises/{DEMO_USCC}\n")
    if serve_api:
        _run(host, port)
