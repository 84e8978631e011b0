"""Working days on the official Chinese calendar (domain.md 5.2).

Deadlines in the policy are counted in working days (工作日): the first day is not counted (Civil
Code Art 201), and the yearly holiday schedule with its make-up working days (调休上班日) is set
by the State Council each autumn, so no rule can predict it. chinese-calendar is the source of
truth; the admin-editable table `graph_service/domain/calendar_overrides.yaml` is consulted first.
A date in a year neither knows raises `CalendarUnknown`: a deadline is never guessed.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import chinese_calendar
import yaml
from pydantic import BaseModel, ValidationError, model_validator

from graph_service.errors import ServiceError

OVERRIDES_PATH = Path(__file__).resolve().parents[1] / "domain" / "calendar_overrides.yaml"


class CalendarUnknown(ServiceError, ValueError):
    """The official holiday schedule of a year is not known (yet)."""

    status, code = 422, "calendar_unknown"

    def __init__(self, day: date, detail: str = ""):
        self.day = day
        self.year = day.year
        super().__init__(
            f"the official holiday schedule for {day.year} is not known, so working days cannot be "
            f"counted through {day.isoformat()}{detail}; enter the State Council notice for "
            f"{day.year} in {OVERRIDES_PATH.name} (complete: true) or upgrade chinese-calendar"
        )


class CalendarOverridesError(ServiceError, ValueError):
    pass


class YearOverride(BaseModel):
    complete: bool = False
    source: str | None = None
    holidays: list[date] = []
    workdays: list[date] = []

    model_config = {"extra": "forbid"}

    @model_validator(mode="after")
    def _consistent(self) -> YearOverride:
        both = set(self.holidays) & set(self.workdays)
        if both:
            raise ValueError(f"listed as both holiday and workday: {sorted(d.isoformat() for d in both)}")
        return self


class Overrides(BaseModel):
    years: dict[int, YearOverride] = {}

    model_config = {"extra": "forbid"}

    def year(self, y: int) -> YearOverride | None:
        return self.years.get(y)


def load_overrides(path: Path) -> Overrides:
    """Parse and validate an override table; errors name the file, the year and the field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CalendarOverridesError(f"{path}: not valid YAML: {exc}") from exc
    try:
        table = Overrides.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise CalendarOverridesError(f"{path}: field {where}: {err['msg']}") from exc
    for y, entry in table.years.items():
        for field in ("holidays", "workdays"):
            for d in getattr(entry, field):
                if d.year != y:
                    raise CalendarOverridesError(
                        f"{path}: field years.{y}.{field}: {d.isoformat()} is not in {y}"
                    )
    return table


@lru_cache(maxsize=1)
def overrides() -> Overrides:
    return load_overrides(OVERRIDES_PATH)


def reload_overrides() -> None:
    """Re-read the table after an admin edit (the service otherwise reads it once)."""
    overrides.cache_clear()


def is_working_day(d: date) -> bool:
    entry = overrides().year(d.year)
    if entry is not None:
        if d in entry.workdays:
            return True
        if d in entry.holidays:
            return False
        if entry.complete:
            return d.weekday() < 5
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        raise CalendarUnknown(d) from None


def add_working_days(start: date, n: int) -> date:
    """The day on which a period of `n` working days starting on `start` ends.

    The start day itself is not counted (Civil Code Art 201), so the result is the n-th working
    day after `start`; being a working day, it never falls on a holiday (Art 203 needs no extra
    step). n = 0 gives `start`.
    """
    if n < 0:
        raise ValueError(f"a period of working days cannot be negative: {n}")
    d, counted = start, 0
    while counted < n:
        if d == date.max:
            raise CalendarUnknown(d)
        d += timedelta(days=1)
        if is_working_day(d):
            counted += 1
    return d


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]: how many working days of a period have run by `end`."""
    if end <= start:
        return 0
    return sum(1 for i in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=i)))
