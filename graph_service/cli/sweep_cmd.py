"""`credit-graph sweep`: log what the days' passing changed (docs/changes.md, "Changes made by time")."""

from __future__ import annotations

import datetime as dt

import typer

from graph_service import db
from graph_service.changes.sweep import sweep as run_sweep
from graph_service.cli import app, console
from graph_service.settings import neo4j_settings


@app.command("sweep")
def sweep(
    until: str | None = typer.Option(None, "--until", help="sweep up to this ISO day (default: today, China time)"),
) -> None:
    """Log the records that expired, the red listings that ended, the repair periods that ended and
    the decisions that changed on each day not yet swept, one change set per day, dated the day it
    took effect. The service does this on start and each day; a day is swept once."""
    try:
        day = dt.date.fromisoformat(until) if until else None
    except ValueError:
        console.print(f"[red]error:[/red] --until: not an ISO day (YYYY-MM-DD): {until!r}", soft_wrap=True)
        raise typer.Exit(2) from None
    with db.driver() as drv:
        done = run_sweep(drv, day, neo4j_settings().database,
                         progress=lambda d, n: console.print(f"{d.isoformat()}: {n:,} entries"))
    console.print(f"swept {len(done)} day(s)" if done else "nothing to sweep: every day is swept")
