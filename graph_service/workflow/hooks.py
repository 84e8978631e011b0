"""What the workflow asks of other parts when a record changes, inside its own transaction."""

from __future__ import annotations

from typing import Any

from graph_service.propagation import on_change_plan
from graph_service.runner import Plan
from graph_service.workflow.events import RecordState


def record_changed(state: RecordState, record: dict[str, Any]) -> Plan[Any]:
    """Recompute what the record gives rise to (revoked or repaired: its window changed), in the
    transaction that changed it (issue 3: incremental propagation)."""
    return (yield from on_change_plan(record_ids=[state.record_id]))
