"""`credit-graph generate OUT --enterprises N --seed S`: a synthetic Hunan bundle."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from graph_service.cli import app, console


@app.command("generate")
def generate(
    out: Path = typer.Argument(..., help="folder to write the bundle into (created if missing)"),
    enterprises: int = typer.Option(1000, "--enterprises", "-n", min=1, help="number of enterprises"),
    seed: int = typer.Option(1, "--seed", "-s", help="random seed: the same seed and size give identical files"),
) -> None:
    """Write a deterministic synthetic Hunan bundle in the CSV input format."""
    from loaders.generate import generate_bundle

    started = time.monotonic()
    counts = generate_bundle(out, enterprises, seed)
    elapsed = time.monotonic() - started
    for name, n in counts.items():
        console.print(f"{name + '.csv':<20} {n:>10,} rows")
    total = sum(counts.values())
    console.print(f"{total:,} rows in {elapsed:.1f} s ({total / max(elapsed, 1e-9):,.0f} rows/s) → {out}")
