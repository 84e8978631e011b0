"""Publicity / punishment periods by rule version (periods.yaml, domain.md section 4)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel

SEVERITIES = ("minor", "general", "serious")


class Period(BaseModel):
    min_months: int
    max_months: int


class RuleVersion(BaseModel):
    id: str
    name: str
    from_: date
    until: date | None
    periods: dict[str, Period]
    specific_serious_repairable: bool = True

    model_config = {"populate_by_name": True}


class PeriodTable(BaseModel):
    versions: list[RuleVersion]
    red_listing_months: int
    repair_conditions: dict[str, str]


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@lru_cache
def period_table() -> PeriodTable:
    raw = yaml.safe_load((Path(__file__).with_name("periods.yaml")).read_text(encoding="utf-8"))
    for v in raw["versions"]:
        v["from_"] = v.pop("from")
        missing = set(SEVERITIES) - set(v["periods"])
        if missing:
            raise ValueError(f"periods.yaml: version {v['id']} lacks severities {sorted(missing)}")
    return PeriodTable.model_validate(raw)


def version_on(decided_on: date) -> RuleVersion:
    versions = period_table().versions
    for v in versions:
        if v.from_ <= decided_on and (v.until is None or decided_on <= v.until):
            return v
    return versions[0]


@dataclass(frozen=True)
class Window:
    rule_version: str
    earliest_repair: date
    automatic_end: date


def window(kind: str, severity: str, decided_on: date) -> Window:
    if kind == "red":
        end = add_months(decided_on, period_table().red_listing_months)
        return Window("red_listing", end, end)
    v = version_on(decided_on)
    p = v.periods[severity]
    return Window(v.id, add_months(decided_on, p.min_months), add_months(decided_on, p.max_months))


def default_valid_until(kind: str, severity: str, decided_on: date) -> date:
    """The end of the listing or publicity period when the record does not give one."""
    return window(kind, severity, decided_on).automatic_end
