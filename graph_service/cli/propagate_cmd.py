"""`credit-graph propagate --all | --record ID...` and `credit-graph rules check`.

Exit status: 0 done; 2 when the catalogue is invalid or Neo4j cannot be reached.
"""

from __future__ import annotations

import logging
import time

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from graph_service.cli import app, console
from graph_service.db import NoNeo4j, driver
from graph_service.domain.catalogue import CatalogueError, catalogue

rules_app = typer.Typer(help="The measures and liability rules catalogue.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


@rules_app.command("check")
def rules_check() -> None:
    """Validate actions.yaml, measures.yaml and rules.yaml; print what they hold."""
    try:
        cat = catalogue()
    except CatalogueError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    console.print(f"{len(cat.actions)} actions, {len(cat.measures)} measures "
                  f"({len(cat.mandatory_measures)} mandatory), {len(cat.rules)} rules: valid")


@app.command("propagate")
def propagate(
    all_: bool = typer.Option(False, "--all", help="recompute every liability, reach and notification"),
    record: list[str] = typer.Option([], "--record", help="recompute what these records touch"),
    batch_size: int = typer.Option(2000, "--batch-size", min=1, help="records per transaction (--all)"),
    workers: int = typer.Option(2, "--workers", min=1, help="transactions at once (--all)"),
) -> None:
    """Recompute derived liabilities (docs/propagation.md). A full recompute gives the same graph as
    the incremental one; notifications keep their status."""
    from graph_service import propagation

    if all_ == bool(record):
        console.print("[red]error:[/] give either --all or --record ID")
        raise typer.Exit(2)
    try:
        catalogue()
    except CatalogueError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    # Parallel batches of --all can deadlock on a dense region or person node; the driver retries
    # them (a warning each), which is expected and not worth a line on the terminal.
    logging.getLogger("neo4j.session").setLevel(logging.ERROR)
    try:
        drv = driver()
    except NoNeo4j as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    started = time.monotonic()
    try:
        with drv:
            if record:
                with drv.session() as s:
                    summary = s.execute_write(lambda tx: propagation.on_change(tx, record_ids=record))
            else:
                with Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
                              TimeElapsedColumn(), console=console) as progress:
                    tasks: dict[str, TaskID] = {}

                    def on_progress(stage: str, done: int, total: int) -> None:
                        if stage not in tasks:
                            tasks[stage] = progress.add_task(stage, total=total)
                        progress.update(tasks[stage], completed=done, total=total)

                    summary = propagation.propagate_all(drv, batch_size=batch_size, progress=on_progress,
                                                         workers=workers)
    except Exception as exc:  # Neo4j unreachable and the like: one line, not a traceback
        console.print(f"[red]error:[/] {type(exc).__name__}: {exc}")
        raise typer.Exit(2) from None
    console.print(f"{len(set(summary.records) | set(summary.red_records))} records, {summary.liabilities} liabilities "
                  f"in {time.monotonic() - started:.1f} s")
