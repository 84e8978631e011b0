"""Facts and their consequences in one transaction: a writer of graph_service.facts.writer, then
the propagation of what it touched, so that a batch and its derived liabilities commit together
or not at all. The loader runs these on the sync driver (`write_*`, `WRITERS`); the workflow
(POST /v1/records, corrections) `yield from`s `records_plan` on the API's async one."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from graph_service import runner
from graph_service.facts import writer
from graph_service.facts.writer import Provenance, WriteStats
from graph_service.propagation import on_change_plan
from graph_service.runner import Plan

WritePlan = Callable[..., Plan[WriteStats]]
Writer = Callable[..., WriteStats]


def propagated(plan_of: WritePlan) -> WritePlan:
    """The plan writing rows with `plan_of`, then recomputing what the write touched."""

    def plan(rows: list[Mapping], prov: Provenance, columns: Collection[str] | None = None) -> Plan[WriteStats]:
        stats = yield from plan_of(rows, prov, columns)
        if stats.touched:
            t = stats.touched
            yield from on_change_plan(record_ids=t.record_ids, usccs=t.usccs, person_ids=t.person_ids)
        return stats

    return plan


def _on_sync(plan_of: WritePlan) -> Writer:
    """The writer running `plan_of` in the caller's sync transaction (the loader's batches)."""

    def write(tx: Any, rows: list[Mapping], prov: Provenance,
              columns: Collection[str] | None = None) -> WriteStats:
        return runner.run(tx, plan_of(rows, prov, columns))

    return write


records_plan = propagated(writer.records_plan)

write_enterprises = _on_sync(propagated(writer.enterprises_plan))
write_persons = _on_sync(propagated(writer.persons_plan))
write_roles = _on_sync(propagated(writer.roles_plan))
write_shareholdings = _on_sync(propagated(writer.shareholdings_plan))
write_records = _on_sync(records_plan)

WRITERS = {
    "enterprises.csv": write_enterprises,
    "persons.csv": write_persons,
    "roles.csv": write_roles,
    "shareholdings.csv": write_shareholdings,
    "records.csv": write_records,
}
