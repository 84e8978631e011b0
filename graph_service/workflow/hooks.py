"""What the workflow asks of other parts when a record changes, inside its own transaction."""

from __future__ import annotations

from typing import Any

from graph_service.propagation import steps
from graph_service.workflow.events import RecordState
from graph_service.workflow.tx import Plan


def record_changed(state: RecordState, record: dict[str, Any]) -> Plan[Any]:
    """Recompute what the record gives rise to (revoked or repaired: its window changed), in the
    transaction that changed it (issue 3: incremental propagation). Propagation's plans use the
    same (statement, parameters) protocol, so this runs on either driver."""
    return (yield from steps.on_change(steps.params_for(), record_ids=[state.record_id]))
