"""One raw row through its model: the checks that need nothing but the row itself (and the region
table). Pure, so worker processes can run it (loaders.bundle.validate_pool)."""

from __future__ import annotations

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from graph_service.facts.models import RowContext
from graph_service.identifiers import IdentifierError, normalize_id, person_id_reference
from loaders.bundle.csvfile import RawRow, printable
from loaders.bundle.files import ENTERPRISES, FILES, PERSONS

# A validated row: (row dict or None, rejections, warnings, (kind, id) of a rejected enterprise or
# person row); rejections and warnings as (column, value, reason).
Validated = tuple[dict | None, list[tuple], list[tuple], tuple[str, str] | None]

SHOWN_CHARS = 200  # a rejected cell is shown (terminal, report) up to this many characters


def validate_row(name: str, raw: RawRow, table, known_usccs) -> Validated:
    """One row of file ``name`` through its model (``known_usccs``: USCCs validated before, which
    need no second check)."""
    if raw.error is not None:
        return None, [(raw.column, raw.value, raw.error)], [], None
    cells = raw.cells
    assert cells is not None, "a row without an error has its cells"
    ctx = RowContext(table, known_usccs=known_usccs, clean=True)
    model_type = FILES[name].model
    assert model_type is not None, "regions.csv is read whole, not row by row"
    try:
        model = model_type.model_validate(cells, context={"row": ctx})
    except ValidationError as exc:
        rejections = []
        for err in exc.errors():
            column = str(err["loc"][0]) if err["loc"] else None
            value = cells.get(column) if column else None
            rejections.append((column, _shown(value), _reason(err)))
        rejected_id = None
        if name == ENTERPRISES:
            rejected_id = ("enterprise", normalize_id(cells.get("uscc", "")))
        elif name == PERSONS:
            rejected_id = ("person", _person_key(cells.get("person_id", "")))
        return None, rejections, [], rejected_id
    row = model.model_dump()
    row["line"] = raw.line
    return row, [], ctx.warnings, None


def _person_key(raw: str) -> str:
    """The key a rejected person row would have had, as references name it (a 15-digit citizen ID
    in its 18-digit form), so a reference to it says that its row was rejected."""
    try:
        return person_id_reference(raw)
    except IdentifierError:
        return normalize_id(raw)


def _shown(value: str | None) -> str | None:
    if value is None:
        return None
    value = printable(value)
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def _reason(err: ErrorDetails) -> str:
    kind = err["type"]
    if kind == "missing":
        return "required value is empty"
    if kind == "literal_error":
        return f"must be one of {err['ctx']['expected'].replace(' or ', ', ')}"
    msg = err["msg"]
    return msg.removeprefix("Value error, ")
