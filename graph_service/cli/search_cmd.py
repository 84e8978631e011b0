"""`credit-graph search reindex`: the search keys of a graph loaded before they existed (docs/search.md)."""

from __future__ import annotations

import time

import typer

from graph_service import db
from graph_service.cli import app, console
from graph_service.facts.search_keys import BACKFILL_BATCH, backfill

search_app = typer.Typer(help="The search keys and the full-text index of names.", no_args_is_help=True)
app.add_typer(search_app, name="search")


@search_app.command("reindex")
def reindex(
    all_: bool = typer.Option(False, "--all", help="recompute the keys of every subject, not only of those "
                                                   "lacking them (after a change of the name rules)"),
    batch_size: int = typer.Option(BACKFILL_BATCH, "--batch-size", min=1, help="subjects per transaction"),
) -> None:
    """Write the search keys of every enterprise and person that lacks them, in batches, and create
    the full-text index `subject_names` if it is missing. Idempotent: a second run writes nothing.
    Every load does the same for the subjects lacking keys."""
    try:
        drv = db.driver()
    except db.NoNeo4j as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    with drv:
        database = db.neo4j_settings().database
        t = time.monotonic()
        db.apply_schema(drv, database)
        written = backfill(drv, database, batch_size=batch_size, everything=all_)
    console.print(f"search keys written: {written['enterprise']:,} enterprises, {written['person']:,} persons "
                  f"({time.monotonic() - t:.1f} s)")
