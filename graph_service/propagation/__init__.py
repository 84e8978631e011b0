"""Liability propagation (issue 3). Placeholder until the propagation module lands."""

from __future__ import annotations


def on_change(tx, *, record_ids=(), usccs=(), person_ids=()) -> None:
    """Recompute the derived liabilities touched by a change, inside the caller's transaction.

    Called by the loader after each written batch and by the API after each change: records
    added, changed or ended; enterprises whose roles or holdings changed; persons whose roles or
    holdings changed.
    """
    return None
