"""The daily sweep (issue 18 point 2; docs/changes.md, "Changes made by time"): what a day's passing
changes with no write, logged as entries dated the day it took effect (`effective_on`), actor
`sweep`, one change set per day:

- `record.expired` (a bad record's last day in force was the day before) and `red_listing.ended`
  (a red listing's period, three years by default, ran out);
- `repair_period.ended`: a bad record's minimum repair period is over; from this day a repair may
  be accepted (graph_service.workflow.repair);
- `decision.changed`: each subject bound by a liability that starts or stops being in force that
  day, per action whose decision differs from the day before.

`credit-graph sweep` runs it up to today; the service runs it on start for the days missed and
then each day. A day is swept once (cypher/sweep/lock.cypher holds the last day swept): sweeping it
again writes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import neo4j

from graph_service import changelog, runner
from graph_service.cypher import query
from graph_service.propagation import consequences
from graph_service.runner import Graph, Log, Plan, Step, only
from graph_service.workflow.repair import BAD_KINDS, terms

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
SWEEP = {"actor": "sweep"}
# A minimum repair period is at most a year (docs/domain.md section 4): older decisions are past it.
_REPAIR_LOOKBACK = dt.timedelta(days=400)


def today() -> dt.date:
    return dt.datetime.now(CHINA).date()


def _about(kind: str, subject: str, responsible: list[str] | None = None) -> tuple[list[str], list[str]]:
    usccs, persons = changelog.split(kind, [subject])
    return usccs, persons + list(responsible or [])


def day_plan(day: dt.date) -> Plan[int]:
    """Sweeps `day` unless it was swept; the number of entries logged."""
    last = only((yield Step("sweep/lock", {})))["last_day"]
    if last is not None and last >= day:
        return 0
    entries: list[dict[str, Any]] = []
    for r in (yield Step("sweep/ended_records", {"day": day})):
        kind = "red_listing.ended" if r["kind"] == "red" else "record.expired"
        usccs, persons = _about(r["subject_kind"], r["subject_id"], r["responsible"])
        entries.append(changelog.entry(kind, r["record_id"], SWEEP, usccs=usccs, person_ids=persons,
                                       regions=[r["authority_region"]], effective_on=day,
                                       before={"in_force": True, "valid_until": r["valid_until"]},
                                       after={"in_force": False, "ended_on": day}))
    rows = yield Step("sweep/repairable_records", {"day": day, "since": day - _REPAIR_LOOKBACK,
                                                   "kinds": sorted(BAD_KINDS)}, convert=True)
    for r in rows:
        t = terms(r["kind"], r["severity"] or "general", r["decided_on"], specific_serious=r["specific_serious"],
                  valid_until=r["valid_until"])
        if t.repairable and t.earliest_on == day:
            usccs, persons = _about(r["subject_kind"], r["subject_id"])
            entries.append(changelog.entry("repair_period.ended", r["record_id"], SWEEP, usccs=usccs,
                                           person_ids=persons, regions=[r["authority_region"]], effective_on=day,
                                           after={"repairable_from": day, "rule_version": t.rule_version}))
    entries += yield from _decisions(day)
    if entries:
        yield Log(entries)
    yield Step("sweep/done", {"day": day})
    return len(entries)


def _decisions(day: dt.date) -> Plan[list[dict[str, Any]]]:
    """decision.changed for the subjects whose liabilities start or stop on `day`: the day before
    against the day."""
    turning = {r["subject_id"]: r["subject_kind"] for r in (yield Step("sweep/turning_subjects", {"day": day}))}
    if not turning:
        return []
    ids = sorted(turning)
    before = yield from consequences.held(ids, day - dt.timedelta(days=1))
    after = yield from consequences.held(ids, day)
    return consequences.decision_entries(turning, before, after, SWEEP, day)


def missed_days(last: dt.date | None, until: dt.date) -> list[dt.date]:
    """The days to sweep up to `until`: from the day after the last one swept (never swept: `until` only)."""
    start = until if last is None else last + dt.timedelta(days=1)
    return [start + dt.timedelta(days=i) for i in range((until - start).days + 1)]


def last_swept(driver: neo4j.Driver, database: str | None = None) -> dt.date | None:
    records, _, _ = driver.execute_query(query("sweep/last_day"), database_=database)
    day = records[0]["last_day"] if records else None
    return None if day is None else day.to_native()


def sweep(driver: neo4j.Driver, until: dt.date | None = None, database: str | None = None,
          progress: Callable[[dt.date, int], None] | None = None) -> dict[dt.date, int]:
    """Sweeps every day not yet swept up to `until` (today), one transaction each; entries per day."""
    until = until or today()
    done: dict[dt.date, int] = {}
    for day in missed_days(last_swept(driver, database), until):
        done[day] = runner.write(driver, functools.partial(day_plan, day), database)
        if progress is not None:
            progress(day, done[day])
    return done


async def sweep_async(graph: Graph, until: dt.date | None = None) -> dict[dt.date, int]:
    """`sweep` on the service's driver (its start and each day after)."""
    until = until or today()
    row = await graph.read_one("sweep/last_day")
    last = None if row is None or row["last_day"] is None else row["last_day"]
    done: dict[dt.date, int] = {}
    for day in missed_days(last, until):
        done[day] = await graph.write_plan(functools.partial(day_plan, day))
    return done
