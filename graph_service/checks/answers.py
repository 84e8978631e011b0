"""A check as a caller may have it (POST /v1/checks and /v1/checks/batch).

Both endpoints answer through here: the same validation, the same `credit.decide` per subject
(read by `credit.check_batch`: one statement per chunk of a batch; single checks arriving together
on a worker share one, see `CheckReader`) and the same scoping, so a batch key gets the answer
the single check gives, its status included (403, 404, 422 per key). Masking persons for the
public role is presentation, left to the router.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

import orjson

from graph_service import credit
from graph_service.access.caller import Caller
from graph_service.changes import known_at as known
from graph_service.checks.reader import CheckReader
from graph_service.domain.catalogue import catalogue
from graph_service.errors import Refused, ServiceError
from graph_service.runner import Graph
from graph_service.subjects import clean_id, diagnose_unknown, regions_of


class Query(NamedTuple):
    subject_id: str
    action: str
    as_of: dt.date | None = None
    known_at: str | None = None  # docs/changes.md, "known_at"


def _validated(q: Query, prefix: str) -> tuple[str, dt.date]:
    """The cleaned subject id and the day of a check; 422 for a bad id, an unknown action or a bad
    known_at."""
    value = clean_id(q.subject_id, prefix + "subject_id")
    if q.action not in catalogue().actions:
        raise Refused(422, "unknown_action", f"{prefix}action: unknown action {q.action!r}; see GET /v1/actions",
                      prefix + "action")
    known.parse(q.known_at, prefix + "known_at")
    return value, q.as_of or dt.date.today()


def _asks_known(q: Query) -> bool:
    """Whether the query asks for an earlier moment (an empty known_at is none; validated before)."""
    return bool(q.known_at and q.known_at.strip())


def _moment_text(moment: dt.datetime | int) -> str:
    return f"seq:{moment}" if isinstance(moment, int) else moment.isoformat()


async def _known(tx: Any, value: str, q: Query, as_of: dt.date, prefix: str) -> dict[str, Any] | Exception:
    """The check as the service would have answered it at `q.known_at`, saying when (known_at: the
    moment read, known_seq: its change-log number); the exception it stands for, returned."""
    moment = known.parse(q.known_at, prefix + "known_at")
    assert moment is not None
    n = await known.seq_at(tx, moment)
    try:
        result = await known.check(tx, value, q.action, as_of, n)
    except (credit.UnknownSubject, credit.UnknownAction) as exc:
        return exc
    result[credit.SEQ] = n
    return {**result, "known_at": _moment_text(moment), "known_seq": n}


def _scoped(caller: Caller, value: str, result: dict[str, Any] | Exception,
            regions: dict[tuple[str, str], list[str]] | None, prefix: str) -> dict[str, Any]:
    """The answer of `credit.check` (or the exception it raised) if the caller may have it. A subject
    the key may not read (a person for a public key, a subject outside the key's region) gets the
    very answer of an unknown one: a 403 would tell that the id exists (issue 15 item 5)."""
    if isinstance(result, credit.UnknownSubject):
        raise diagnose_unknown(value, None, prefix + "subject_id")
    if isinstance(result, Exception):
        raise result
    kind = result["subject_kind"]
    if not caller.may_read(kind, (regions or {}).get((value, kind), []) if caller.region_code else ()):
        raise diagnose_unknown(value, None, prefix + "subject_id")
    return result


async def _regions(tx: Any, caller: Caller, ids: list[str]) -> dict[tuple[str, str], list[str]] | None:
    return None if caller.region_code is None else await regions_of(tx, ids)


async def answer(graph: Graph, reader: CheckReader, caller: Caller, q: Query) -> dict[str, Any]:
    """One check, read with the other single checks of this worker waiting at the time; a
    ServiceError for what it answers with an error."""
    value, as_of = _validated(q, "")
    regions = None if caller.region_code is None else await graph.read_auto(_regions, caller, [value])
    if _asks_known(q):
        result = await graph.read_tx(_known, value, q, as_of, "")
    else:
        result = await reader.check(value, q.action, as_of)
    return _scoped(caller, value, result, regions, "")


def _error(exc: ServiceError) -> dict[str, Any]:
    return {"code": exc.code, "message": getattr(exc, "message", str(exc)), "field": exc.field}


async def _answer_chunk(tx: Any, caller: Caller, queries: Mapping[str, Query]) -> dict[str, tuple[int, Any]]:
    """The checks of a batch chunk, read with one statement: key -> (200, result) or (status, error)."""
    done: dict[str, tuple[int, Any]] = {}
    todo: list[tuple[str, str, dt.date]] = []
    for k, q in queries.items():
        try:
            value, as_of = _validated(q, f"queries.{k}.")
        except ServiceError as exc:
            done[k] = (exc.status, _error(exc))
            continue
        todo.append((k, value, as_of))
    regions = await _regions(tx, caller, list(dict.fromkeys(v for _, v, _ in todo)))
    now = [t for t in todo if not _asks_known(queries[t[0]])]
    results: dict[str, dict[str, Any] | Exception] = dict(zip((k for k, _, _ in now), await credit.check_batch(
        tx, [(value, queries[k].action, as_of) for k, value, as_of in now], seq=True)))
    for k, value, as_of in todo:
        if k not in results:  # asked as known at an earlier moment: one by one (rare)
            results[k] = await _known(tx, value, queries[k], as_of, f"queries.{k}.")
    for k, value, _ in todo:
        result = results[k]
        try:
            done[k] = (200, _scoped(caller, value, result, regions, f"queries.{k}."))
        except ServiceError as exc:
            done[k] = (exc.status, _error(exc))
    return done


async def answer_batch(graph: Graph, caller: Caller, queries: Mapping[str, Query], chunk: int,
                       parallelism: int) -> dict[str, tuple[int, Any]]:
    """Every key's answer, as `answer` would give it: chunks of `chunk` keys, each in one read
    transaction, `parallelism` at a time."""
    keys = list(queries)
    chunks = [keys[i:i + chunk] for i in range(0, len(keys), chunk)]
    gate = asyncio.Semaphore(parallelism)

    async def work(tx: Any, part: list[str]) -> dict[str, tuple[int, Any]]:
        return await _answer_chunk(tx, caller, {k: queries[k] for k in part})

    async def run(part: list[str]) -> dict[str, tuple[int, Any]]:
        async with gate:
            return await graph.read_tx(work, part)

    out: dict[str, tuple[int, Any]] = {}
    for done in await asyncio.gather(*(run(c) for c in chunks)):
        out.update(done)
    return out


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


_NOT_ANSWER = ("check_id", "known_at", "known_seq")


def answer_json(result: dict[str, Any]) -> str:
    """The answer of a check as stored and as replayed (GET /v1/checks/{id} compares the two):
    compact JSON with sorted keys, without the check's id and the known_at it was asked with."""
    return orjson.dumps({k: v for k, v in result.items() if k not in _NOT_ANSWER},
                        option=orjson.OPT_SORT_KEYS).decode()


def stored(caller: Caller, result: dict[str, Any], batch_id: str | None, at: str) -> dict[str, Any]:
    """What the check log keeps of an answered check (the answer as the caller got it: presented);
    takes the change-log number out of `result` (credit.SEQ)."""
    seq = result.pop(credit.SEQ, None)
    # Dates as ISO strings, which checks/store turns into Neo4j's: the driver's packing of a Python
    # datetime costs more than the rest of a clear check.
    return {"check_id": result["check_id"], "key_id": caller.key_id, "role": caller.role,
            "at": at, "subject_id": result["subject_id"],
            "subject_kind": result["subject_kind"], "action": result["action"],
            "as_of": result["as_of"].isoformat(), "decision": result["decision"],
            "record_ids": sorted({b["record_id"] for b in result["basis"]}), "batch_id": batch_id,
            "answer": answer_json(result), "seq": seq, "known_at": result.get("known_at")}
