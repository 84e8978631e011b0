"""The search keys stored on enterprises and persons, and the names an enterprise was known by.

Every write path stores the same keys, computed here in Python by graph_service.domain.names and
passed to the statements as parameters (docs/search.md): the transactional writer (facts.writer),
the import files of `load --initial` and the backfill of a graph loaded before the keys existed.

- Enterprise: ``search_keys`` (folded name and core of the current and former names),
  ``former_names`` with ``former_names_from`` / ``former_names_until`` (parallel lists: a property
  list cannot hold maps), ``name_since`` (the day the graph first recorded the current name) and
  ``name_load`` (the load that wrote it).
- Person: ``search_keys`` (the folded name) and ``pinyin_keys`` (null for a name with no Han character).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

from graph_service import runner
from graph_service.domain.names import enterprise_keys, fold, pinyin_keys
from graph_service.runner import Plan, Step

# Days are China Standard Time days: a load written at 01:00 in Chenzhou is that day's.
CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
# The properties a write of names may set (and unset, with null), in the order docs/model.md lists them.
ENTERPRISE_NAME_PROPS = ("search_keys", "former_names", "former_names_from", "former_names_until", "name_since",
                         "name_load")
PERSON_NAME_PROPS = ("search_keys", "pinyin_keys")


def day_of(at: dt.datetime) -> dt.date:
    return at.astimezone(CHINA).date() if at.tzinfo else at.date()


def _as_date(value: Any) -> dt.date | None:
    """A stored date (neo4j.time.Date or datetime.date), or None."""
    if value is None:
        return None
    if hasattr(value, "to_native"):  # neo4j.time.Date / DateTime, as a writer's unconverted read gives them
        value = value.to_native()
    return day_of(value) if isinstance(value, dt.datetime) else value


def person_names(name: str | None) -> dict[str, Any]:
    """The search properties of a person named ``name``."""
    spelled = pinyin_keys(name) if name else []
    return {"search_keys": [fold(name)] if name and fold(name) else None, "pinyin_keys": spelled or None}


def new_enterprise_names(name: str | None, src_load: str, at: dt.datetime) -> dict[str, Any]:
    """The search properties of an enterprise first written with ``name`` by load ``src_load`` at ``at``."""
    return {"search_keys": enterprise_keys([name]) if name else None, "former_names": None,
            "former_names_from": None, "former_names_until": None, "name_since": day_of(at), "name_load": src_load}


def enterprise_names(name: str | None, stored: Mapping[str, Any] | None, src_load: str,
                     at: dt.datetime) -> dict[str, Any]:
    """The search properties of an enterprise written with ``name`` over what is stored (``stored``:
    its ``name`` and the properties of ENTERPRISE_NAME_PROPS, plus ``src_at``; None for a new one).

    A rename by a later load keeps the earlier name with the day it was first recorded and the day
    it was replaced. A rename by the load that wrote the current name (a bundle repeating its row)
    only replaces it, as a repeated row replaces any property: the import of `load --initial`,
    which writes a repeated key's first row and then the others as updates, then ends as the
    transactional load, which writes only the last row."""
    if stored is None:
        return new_enterprise_names(name, src_load, at)
    former = list(stored.get("former_names") or [])
    froms = [_as_date(d) for d in stored.get("former_names_from") or []]
    untils = [_as_date(d) for d in stored.get("former_names_until") or []]
    # A node written before names were tracked: its name was on record at least since its last write.
    since = _as_date(stored.get("name_since")) or _as_date(stored.get("src_at")) or day_of(at)
    name_load = stored.get("name_load") or stored.get("src_load")
    old = stored.get("name")
    if old is not None and name is not None and old != name:
        if name_load != src_load:
            former.append(old)
            froms.append(since)
            untils.append(day_of(at))
        since, name_load = day_of(at), src_load
    names = [n for n in (name, *reversed(former)) if n]
    return {"search_keys": enterprise_keys(names) or None, "former_names": former or None,
            "former_names_from": froms or None, "former_names_until": untils or None, "name_since": since,
            "name_load": name_load}


# --- the backfill of a graph loaded before the keys existed ---------------------------------------

BACKFILL_BATCH = 2000


def backfill_plan(kind: str, after: str, batch_size: int, everything: bool) -> Plan[tuple[int, str | None]]:
    """One batch of the backfill: the subjects of ``kind`` after id ``after`` (in id order) that lack
    their keys (``everything``: all of them, to recompute after a change of graph_service.domain.names),
    their keys written. Returns (subjects written, the last id read or None when none is left)."""
    rows = yield Step(f"search/backfill_{kind}s", {"after": after, "limit": batch_size, "everything": everything})
    if not rows:
        return 0, None
    out = []
    for r in rows:
        if kind == "person":
            search = person_names(r["name"])
        else:
            # The stored name itself: nothing is renamed, so neither the load nor the time is used.
            search = enterprise_names(r["name"], r["stored"], "", dt.datetime.now(dt.UTC))
        out.append({"id": r["id"], "search": search})
    written = yield Step(f"search/set_{kind}_keys", {"rows": out})
    return (written[0]["written"] if written else 0), rows[-1]["id"]


def backfill(driver: Any, database: str | None = None, batch_size: int = BACKFILL_BATCH,
             everything: bool = False) -> dict[str, int]:
    """Writes the keys of every subject that lacks them (``everything``: of all), one transaction
    per batch, so a large graph is never held in one; idempotent. Returns the subjects written per kind."""
    written = {}
    for kind in ("enterprise", "person"):
        after, total = "", 0
        while True:
            n, last = runner.write(driver, functools.partial(backfill_plan, kind, after, batch_size, everything),
                                   database)
            total += n
            if last is None:
                break
            after = last
        written[kind] = total
    return written
