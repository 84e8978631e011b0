"""What counts as a date, shared by the API and the loaders: ISO days within a horizon."""

from __future__ import annotations

import datetime as dt

from graph_service.settings import service_settings


def horizon(today: dt.date | None = None) -> dt.date:
    """The last day a record or registry row may name (`CREDIT_GRAPH_DATE_HORIZON_YEARS` ahead)."""
    today = today or dt.date.today()
    years = service_settings().date_horizon_years
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February in a year that has none
        return today.replace(year=today.year + years, day=28)


def beyond_horizon(day: dt.date | None, today: dt.date | None = None) -> str | None:
    """The reason `day` is refused, or None when it is within the horizon."""
    if day is None:
        return None
    last = horizon(today)
    if day > last:
        return (f"{day.isoformat()} is later than {last.isoformat()} "
                f"(CREDIT_GRAPH_DATE_HORIZON_YEARS={service_settings().date_horizon_years})")
    return None
