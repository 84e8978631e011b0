"""What the API accepts as input, in one place: strict ISO dates, bounded texts, ids and lists,
the query parameters shared by the routers, identifiers and cursors.

Every request model and query parameter takes its dates and texts from here (issue 15, points 2
and 11), so a new endpoint cannot take an integer for a date or an unbounded string by accident.
The maxima are the CREDIT_GRAPH_MAX_* settings, read once when the service starts (the models
are built at import); docs/api.md "Limits" lists them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from graph_service import cursors
from graph_service.api.errors import ApiError
from graph_service.dates import beyond_horizon
from graph_service.identifiers import (
    IdentifierError,
    normalize_id,
    person_id_reference,
    validate_person_id,
    validate_region_code,
    validate_uscc,
)
from graph_service.settings import service_settings

LIMITS = service_settings()
MAX_ID = LIMITS.max_id_length
MAX_NAME = LIMITS.max_name_length
MAX_TEXT = LIMITS.max_text_length
MAX_ITEMS = LIMITS.max_body_list_items
MAX_OFFSET = LIMITS.max_offset

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def iso_date(value: Any) -> dt.date:
    """A day written `YYYY-MM-DD` (or already a date). Pydantic alone would also take 0 (1970-01-01),
    a Unix time, `20260101` or a datetime: none of them is a day a department wrote."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("date_invalid", "{value} is not a day of the calendar",
                                      {"value": value}) from None
    raise PydanticCustomError("iso_date", "expected an ISO date YYYY-MM-DD, got {value}", {"value": _shown(value)})


def within_horizon(day: dt.date) -> dt.date:
    """A day a record may name: not past the horizon (CREDIT_GRAPH_DATE_HORIZON_YEARS)."""
    reason = beyond_horizon(day)
    if reason:
        raise PydanticCustomError("date_beyond_horizon", "{reason}", {"reason": reason})
    return day


# A date of a query or of a question asked (as_of): any ISO day.
IsoDate = Annotated[dt.date, BeforeValidator(iso_date)]
# A date written into a record or its history (decided_on, notice_on, on...): also within the horizon.
RecordDate = Annotated[dt.date, BeforeValidator(iso_date), AfterValidator(within_horizon)]

Id = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID)]
Name = Annotated[str, StringConstraints(max_length=MAX_NAME)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
# A count a body carries (expected_seq, a history length): a Neo4j integer is 64-bit, so no
# unbounded int reaches a statement.
Seq = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


def id_list(description: str) -> Any:
    """A body list of ids, at most CREDIT_GRAPH_MAX_BODY_LIST_ITEMS."""
    return Field(default_factory=list, max_length=MAX_ITEMS, description=description)


# How every `as_of` reads roles and holdings (docs/model.md, "Dates"; issue 20.3).
HELD_ON = ("Roles and holdings are held on [start_on, end_on): `end_on` is the registry's change date, on which a "
           "successor may start, and is not itself a day in office.")
# The `as_of` of an enterprise's or a person's stored facts.
AS_OF_FACTS = ("Keep only the roles and holdings held on this day (half-open [start_on, end_on): the day a "
               "legal representative changes belongs to the new one). Records are all returned, with "
               "`in_force` judged on this day (today when absent). " + HELD_ON)


# --- query parameters, validated against the named settings ----------------------------------

def bounded(value: int | None, default: int, low: int, high: int, field: str) -> int:
    """`value` (or `default`) within [low, high]; 422 naming `field` otherwise."""
    v = default if value is None else value
    if not low <= v <= high:
        raise ApiError(422, "invalid_request", f"{field}: must be between {low} and {high}, got {v}", field)
    return v


def page_offset(value: int | None, max_offset: int, field: str = "offset") -> int:
    """Rows to skip: 0 to CREDIT_GRAPH_MAX_OFFSET (a larger one would overflow Neo4j's 64-bit SKIP)."""
    return bounded(value, 0, 0, max_offset, field)


def cursor_offset(state: dict | None, max_offset: int) -> int:
    """The offset a `next_cursor` carries (0 without a cursor); 422 `invalid_cursor` for anything a
    previous page cannot have given: not an int, negative, or beyond CREDIT_GRAPH_MAX_OFFSET."""
    if state is None:
        return 0
    offset = state.get("offset")
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= max_offset:
        raise ApiError(422, "invalid_cursor", "cursor: not a cursor returned by a previous page", "cursor")
    return offset


def choices(values: Iterable[str] | None, allowed: Iterable[str], field: str,
            default: Iterable[str] | None = None) -> list[str]:
    """A list parameter given repeated or comma-separated (`relations=role,shareholding`), each
    among `allowed`, in the order of `allowed`, without repeats; `default` (all) when absent."""
    allowed = list(allowed)
    if not values:
        return list(default if default is not None else allowed)
    asked = [v.strip() for raw in values for v in raw.split(",") if v.strip()]
    for v in asked:
        if v not in allowed:
            raise ApiError(422, "invalid_request", f"{field}: unknown value {v!r}; expected among {', '.join(allowed)}",
                           field)
    if not asked:
        return list(default if default is not None else allowed)
    return [a for a in allowed if a in asked]


def day(as_of: dt.date | None) -> dt.date:
    return as_of or dt.date.today()


# --- identifiers of the path -----------------------------------------------------------------

MAX_RECORD_ID_LEN = 64


def checked_uscc(uscc: str) -> str:
    try:
        return validate_uscc(uscc).value
    except IdentifierError as exc:
        message = f"invalid USCC {uscc!r}: {exc}"
        raise ApiError(422, "invalid_uscc", message, "uscc") from exc


def checked_person_id(person_id: str, id_type: str) -> str:
    try:
        return validate_person_id(person_id, id_type).value
    except IdentifierError as exc:
        raise ApiError(422, "invalid_person_id", f"invalid {id_type} {person_id!r}: {exc}", "person_id") from exc


def legacy_upgraded(raw: str, field: str) -> str:
    """An id as given, but a first-generation 15-digit citizen ID in the 18-digit form persons are
    stored under (identifiers.person_id_reference); 422 naming `field` for a malformed one."""
    if len(raw.strip()) != 15:
        return raw
    try:
        return person_id_reference(raw)
    except IdentifierError as exc:
        raise ApiError(422, "invalid_person_id", f"{field} {raw!r}: not a valid citizen ID: {exc}", field) from exc


def checked_region(code: str, field: str = "code") -> str:
    try:
        return validate_region_code(code).value
    except IdentifierError as exc:
        raise ApiError(422, "invalid_region", f"{field}: {exc}", field) from exc


def checked_record_id(raw: str) -> str:
    value = normalize_id(raw)
    if not value:
        raise ApiError(422, "invalid_record_id", "record_id: the identifier is empty", "record_id")
    if len(value) > MAX_RECORD_ID_LEN:
        raise ApiError(422, "invalid_record_id",
                       f"record_id: at most {MAX_RECORD_ID_LEN} characters expected, got {len(value)}", "record_id")
    for pos, c in enumerate(value, 1):
        if unicodedata.category(c).startswith("C"):
            raise ApiError(422, "invalid_record_id", f"record_id: control character U+{ord(c):04X} at position {pos}",
                           "record_id")
    return value


# --- cursors -----------------------------------------------------------------------------------

encode_cursor = cursors.encode


def decode_cursor(cursor: str | None, field_name: str = "cursor") -> dict[str, Any] | None:
    """The state a previous answer's `next_cursor` carries; 422 naming `cursor` when it is not one."""
    return cursors.decode(cursor, field_name)

KNOWN_AT_FACTS = ("the facts as the service knew them at this moment (recorded time; `as_of` is the valid time): an "
                  "ISO date-time (no offset: China time, UTC+8), a day (its end), or `seq:<n>` (after change-log entry "
                  "n); values a later load corrected come as they were (docs/changes.md, \"known_at\")")
