"""What the API accepts as input, in one place: strict ISO dates, bounded texts, ids and lists.

Every request model and query parameter takes its dates and texts from here (issue 15, points 2
and 11), so a new endpoint cannot take an integer for a date or an unbounded string by accident.
The maxima are the CREDIT_GRAPH_MAX_* settings, read once when the service starts (the models
are built at import); docs/api.md "Limits" lists them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from graph_service.dates import beyond_horizon
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
