"""`credit-graph watch`: watches and their alerts from the command line, as /v1/watches gives them
(docs/changes.md, Watches). Watches made here belong to no API key (an admin's)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import typer

from graph_service import db
from graph_service.access.caller import Caller
from graph_service.changes import watches, worker
from graph_service.cli import app, console
from graph_service.errors import ServiceError
from graph_service.runner import Graph
from graph_service.settings import neo4j_settings, service_settings

T = TypeVar("T")
watch_app = typer.Typer(help="Watches on subjects and regions, and their alerts.", no_args_is_help=True)
app.add_typer(watch_app, name="watch")
ADMIN = Caller(None, "admin")


def _run(work: Callable[[Graph], Awaitable[T]]) -> T:
    async def main() -> T:
        conn = db.connection()
        drv = db.async_driver(conn, notifications_min_severity="OFF")
        try:
            return await work(Graph(drv, conn.database, neo4j_settings().read_timeout_s))
        finally:
            await drv.close()

    try:
        return asyncio.run(main())
    except ServiceError as exc:
        console.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from None


def _echo(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=1, default=str))


@watch_app.command("add")
def add(
    subjects: list[str] = typer.Option([], "--subject", help="a USCC or person id (repeat for more)"),
    depth: int = typer.Option(0, "--depth", help="also subjects within this many role or holding links (0-2)"),
    regions: list[str] = typer.Option([], "--region", help="a region code (repeat for more)"),
    actions: list[str] = typer.Option([], "--action", help="alert only on decisions for this action (repeat)"),
    name: str | None = typer.Option(None, "--name"),
    webhook: str | None = typer.Option(None, "--webhook", help="POST each alert to this URL, signed"),
) -> None:
    """Make a watch; prints it (with the webhook's secret, shown this once)."""
    body = {"subjects": subjects, "depth": depth, "regions": regions, "actions": actions or None, "name": name,
            "webhook_url": webhook}
    _echo(_run(lambda g: watches.make(g, ADMIN, body, service_settings())))


@watch_app.command("list")
def list_() -> None:
    """Print every watch, newest first."""
    _echo(_run(lambda g: watches.listed(g, ADMIN, service_settings().watches_page_size)))


@watch_app.command("alerts")
def alerts(
    watch_id: str = typer.Argument(..., help="the watch"),
    since: int | None = typer.Option(None, "--since", help="alerts of change sets after this sequence number"),
    cursor: str | None = typer.Option(None, "--cursor", help="go on from a printed cursor"),
    limit: int = typer.Option(100, "--limit", min=1, max=1000),
) -> None:
    """Print a watch's alerts in change-set order, then the cursor to go on from."""
    _echo(_run(lambda g: watches.alerts(g, ADMIN, watch_id, since, cursor, limit)))


@watch_app.command("process")
def process() -> None:
    """Turn the change-log entries not yet processed into alerts and deliver due webhooks once (the
    service does this in the background; this is for a deployment without it, or cron)."""
    with db.driver() as drv:
        out = worker.process(drv, service_settings(), neo4j_settings().database)
    console.print(f"{out['entries']:,} entries read, {out['alerts']:,} alerts written, "
                  f"{out['delivered']:,} webhooks delivered")


@watch_app.command("delete")
def delete(watch_id: str = typer.Argument(...)) -> None:
    """End a watch; its alerts stay readable."""
    _echo(_run(lambda g: watches.delete(g, ADMIN, watch_id)))
