"""Records through the workflow: initiation (POST /v1/records) and corrections.

Both go through the loader's row model (`graph_service.facts.models.RecordRow`) and writer
(`graph_service.facts.writer.records_plan`), so a record initiated or corrected through the API is validated
and written exactly as one loaded from records.csv, propagation included; the workflow adds the
event that says who did it and why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from graph_service.domain.periods import default_valid_until
from graph_service.errors import ServiceError
from graph_service.facts.models import RecordRow
from graph_service.facts.writer import Provenance
from graph_service.propagation.writes import records_plan
from graph_service.runner import Plan, Step, one, only
from graph_service.workflow.events import CORRECTABLE, Conflict, RecordState
from graph_service.workflow.store import Decision, NewEvent, act


class InvalidInput(ServiceError, ValueError):
    """A request field is invalid (HTTP 422, naming the field)."""

    status, code = 422, "invalid_request"

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


def _authority_name(record: dict[str, Any]) -> str:
    # authority_id is "<region code>:<name>" (docs/model.md).
    return record["authority_id"].split(":", 1)[1]


def row_of(record: dict[str, Any]) -> dict[str, Any]:
    """A stored Record's properties as a records.csv row."""
    row = {k: record.get(k) for k in (
        "record_id", "subject_kind", "subject_id", "kind", "category", "severity", "authority_region",
        "document_no", "misconduct_on", "decided_on", "published_on", "valid_until", "legal_basis",
        "responsible_person_ids")}
    row["authority"] = _authority_name(record)
    row["responsible_person_ids"] = list(record.get("responsible_person_ids") or [])
    return row


def validate_row(row: dict[str, Any], field_prefix: str = "") -> RecordRow:
    try:
        return RecordRow.model_validate(row)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(p) for p in err["loc"]) or "record"
        msg = err["msg"].removeprefix("Value error, ")
        raise InvalidInput(f"{field_prefix}{name}", msg) from None


def validate_changes(changes: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The corrected values, validated with the rest of the record as records.csv would be.

    A `valid_until` that was the default for the old kind, severity and decision date is
    recomputed when one of those changes, unless the correction gives one.
    """
    bad = sorted(set(changes) - set(CORRECTABLE))
    if bad:
        raise InvalidInput(f"changes.{bad[0]}", f"cannot be corrected (correctable: {', '.join(CORRECTABLE)})")
    row = row_of(current)
    defaulted = (current.get("valid_until") is not None and current.get("decided_on") is not None
                 and current["valid_until"] == default_valid_until(
                     current["kind"], current.get("severity") or "general", current["decided_on"]))
    row.update(changes)
    if defaulted and "valid_until" not in changes and {"severity", "decided_on"} & set(changes):
        row["valid_until"] = None
    validated = validate_row(row, "changes.").model_dump()
    fields = set(changes) | ({"valid_until"} if row["valid_until"] is None else set())
    out = {k: validated[k] for k in sorted(fields) if validated[k] != current.get(k)}
    if not out:
        raise InvalidInput("changes", "the correction changes nothing")
    return out


def write_correction(actor: str):
    """The Decision.write step of a correction: the corrected row through the loader's writer."""

    def step(state: RecordState, record: dict[str, Any]) -> Plan[None]:
        row = row_of(record)
        row.update(state.corrections)
        prov = Provenance(f"api:{actor}", None, dt.datetime.now(dt.UTC))
        columns = set(state.corrections)
        yield from records_plan([row], prov, columns=columns)

    return step


def initiate(cells: dict[str, Any], *, actor: str, specific_serious: bool = False,
             reason: str | None = None) -> Plan[dict[str, Any]]:
    """A department initiates a record (发起; POST /v1/records): validated as a records.csv row,
    written by the loader's writer (propagation and notifications included), with the event that
    says who initiated it. The subject and the persons named responsible must be in the graph."""
    model = validate_row(cells)
    row = model.model_dump()
    record_id = row["record_id"]
    if one((yield Step("workflow/get_record", {"record_id": record_id}))) is not None:
        raise Conflict("record_exists", f"record {record_id} exists; objections and repair change it")
    found = only((yield Step("workflow/subject_exists", {
        "subject_kind": row["subject_kind"], "subject_id": row["subject_id"],
        "responsible_person_ids": row["responsible_person_ids"]})))
    if not found["subject"]:
        raise InvalidInput("subject_id", f"no {row['subject_kind']} {row['subject_id']} in the graph")
    if found["missing_persons"]:
        raise InvalidInput("responsible_person_ids", f"no person {found['missing_persons'][0]} in the graph")
    prov = Provenance(f"api:{actor}", None, dt.datetime.now(dt.UTC))
    yield from records_plan([row], prov)
    if specific_serious:
        yield Step("workflow/set_specific_serious", {"record_id": record_id, "specific_serious": True})
    data = {k: v for k, v in row.items() if v is not None} | {"specific_serious": specific_serious}
    yield from act(record_id, actor, lambda s, r: Decision([NewEvent("initiated", data, reason)]))
    record = only((yield Step("workflow/get_record", {"record_id": record_id})))["record"]
    notified = yield Step("workflow/record_notifications", {"record_id": record_id})
    return {"record": record, "notifications": [n["notification"] for n in notified]}
