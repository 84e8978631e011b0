"""`credit-graph load BUNDLE`: load a CSV bundle (input-format.md) into Neo4j.

Exit status: 0 when every row loaded, 1 when rows were rejected (the others are written, unless
--strict or --dry-run), 2 when the bundle could not be loaded (no bundle, no Neo4j, or a load
that stopped half way: run it again to resume).
"""

from __future__ import annotations

import logging
from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from graph_service.cli import app, console
from graph_service.db import NoNeo4j, driver
from graph_service.settings import neo4j_settings
from loaders import BundleError, LoadFailed, load_bundle

SHOWN_ISSUES = 20


class _RowsPerSecond(ProgressColumn):
    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "", style="progress.data.speed")


def _progress() -> Progress:
    return Progress(TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                    _RowsPerSecond(), TimeElapsedColumn(), console=console, transient=False)


@app.command("load")
def load(
    bundle: Path = typer.Argument(..., help="folder with the bundle's CSV files"),
    report: Path | None = typer.Option(None, "--report",
                                       help="write every rejected row and warning to this JSONL file"),
    strict: bool = typer.Option(False, "--strict", help="write nothing if any row is rejected"),
    dry_run: bool = typer.Option(False, "--dry-run", help="only validate; write nothing"),
    batch_size: int = typer.Option(5000, "--batch-size", min=1, help="rows per write transaction"),
    initial: bool = typer.Option(False, "--initial", help=(
        "first load into an empty local instance: validate as usual, then build the store with "
        "neo4j-admin database import (stops and restarts the instance)")),
    instance: str = typer.Option("default", "--instance", help="local instance for --initial"),
    department: str | None = typer.Option(None, "--department", help=(
        "the reporting department (else the bundle's manifest.json names it), kept on the load and "
        "on every fact it writes")),
) -> None:
    """Validate a CSV bundle row by row and load it into Neo4j; report rejected rows."""
    # The server's hints about properties no node has yet (an empty graph) are noise here.
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    if initial:
        _initial(bundle, report, strict, dry_run, batch_size, instance, department)
        return
    try:
        drv = driver()
    except NoNeo4j as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    with drv:
        _run(report, lambda progress, on_progress: load_bundle(
            drv, bundle, strict=strict, dry_run=dry_run, report_path=report, batch_size=batch_size,
            progress=on_progress, department=department))


def _run(report: Path | None, call) -> None:
    """Runs a load with progress bars (``call(progress, on_progress)`` returns its LoadResult),
    prints the summary, and exits 0 (all loaded), 1 (rows rejected) or 2 (nothing loaded, or
    stopped half way) with a one-line error."""
    tasks: dict[str, TaskID] = {}
    try:
        with _progress() as progress:
            def on_progress(file: str, done: int, total: int) -> None:
                task = tasks.get(file)
                if task is None:
                    task = tasks[file] = progress.add_task(file, total=total)
                elif done < progress.tasks[task].completed:  # --strict: the writing pass starts over
                    progress.reset(task, total=total)
                progress.update(task, completed=done, total=max(total, done))

            result = call(progress, on_progress)
    except BundleError as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    except LoadFailed as exc:
        _summary(exc.result, report)
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    except Exception as exc:  # Neo4j unreachable and the like: one line, not a traceback
        console.print(f"[red]error:[/] {type(exc).__name__}: {exc}")
        raise typer.Exit(2) from None
    _summary(result, report)
    if result.stages:
        console.print("stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.stages.items()))
    raise typer.Exit(0 if result.rejected == 0 and not result.failed_files else 1)


def _initial(bundle: Path, report: Path | None, strict: bool, dry_run: bool, batch_size: int,
             instance: str, department: str | None) -> None:
    # Here for start-up speed: its in-memory rules import networkx, 0.15 s for every command.
    from loaders.initial import initial_import

    if neo4j_settings().uri:
        console.print("[red]error:[/] --initial loads into the project's local Neo4j (it stops the server, "
                      "imports offline and starts it again); NEO4J_URI is set: unset it, or load without --initial")
        raise typer.Exit(2)
    if dry_run:
        console.print("[red]error:[/] --dry-run validates without --initial; give one of them")
        raise typer.Exit(2)
    # Parallel propagation batches may deadlock on a dense node; they are retried.
    logging.getLogger("neo4j.session").setLevel(logging.ERROR)
    _run(report, lambda progress, on_progress: initial_import(
        bundle, instance=instance, strict=strict, report_path=report, batch_size=batch_size, progress=on_progress,
        department=department,
        stage=lambda line: progress.console.print(line, markup=False, highlight=False)))


def _summary(result, report: Path | None) -> None:
    table = Table(title=f"bundle {result.bundle}"
                  + (f" (department {result.department})" if result.department else ""))
    for col in ("file", "read", "loaded", "changed", "rejected", "warnings", "rows/s"):
        table.add_column(col, justify="left" if col == "file" else "right")
    for name, c in result.files.items():
        style = "red" if c.rejected else None
        table.add_row(name, f"{c.read:,}", f"{c.loaded:,}", f"{c.changed:,}", f"{c.rejected:,}",
                      f"{c.warnings:,}", f"{c.rows_per_second:,.0f}", style=style)
    console.print(table)
    for issue in result.rejections[:SHOWN_ISSUES]:
        console.print(Text(f"rejected {issue}", style="red"))
    for issue in result.warnings[:max(0, SHOWN_ISSUES - len(result.rejections))]:
        console.print(Text(f"warning  {issue}", style="yellow"))
    hidden = len(result.rejections) + len(result.warnings) - SHOWN_ISSUES
    if hidden > 0:
        where = f"see {report}" if report else "use --report FILE to see them all"
        console.print(f"… and {hidden:,} more rejections and warnings: {where}")
    rate = result.rows_read / result.elapsed if result.elapsed else 0.0
    if result.dry_run:
        outcome = "dry run: nothing written"
    elif not result.written:
        outcome = f"--strict: {result.rejected:,} rows rejected, nothing written"
    elif result.status == "failed":
        outcome = "stopped half way"
    else:
        outcome = f"load {result.load_id} done"
    unread = result.failed_files
    files = f", {len(unread)} file{'' if len(unread) == 1 else 's'} not read ({', '.join(unread)})" if unread else ""
    console.print(f"{outcome}; {result.rows_read:,} rows in {result.elapsed:.1f} s ({rate:,.0f} rows/s), "
                  f"{result.rejected:,} rejected{files}, {len(result.warnings):,} warnings")
