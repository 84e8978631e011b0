"""Screening by example: POST /v1/match and /v1/match/batch (issue 17 point 2; docs/search.md, "Match").

A query names a kind and what the caller knows of the subject (name, USCC or person id, birth
date, gender, region, legal representative, address). `parse` checks it (422 naming the field
for a query that cannot find anything); `match_many` reads the candidates of many queries with
one statement (cypher/match/candidates.cypher: by id, through the full-text index of names, by
citizen-id prefix for a birth date and region, through the legal representative's name) and
ranks them with graph_service.search.scoring. A single match is a batch of one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graph_service.access.caller import Caller
from graph_service.domain.names import core_name, fold
from graph_service.errors import Refused, ServiceError
from graph_service.identifiers import IdentifierError, validate_region_code
from graph_service.regions import region_table
from graph_service.runner import Graph, rows_async
from graph_service.search import scoring
from graph_service.search.lucene import any_of, escape
from graph_service.settings import ServiceSettings

# An id prefix read per code of the region asked: a city's counties and the retired codes older
# ids still carry (a province's hundreds of codes are not read).
MAX_ID_PREFIXES = 64


@dataclass(frozen=True)
class Asked:
    """One checked query: what scoring compares, the threshold and the number of candidates."""

    query: scoring.Query
    threshold: float
    limit: int

    @property
    def kind(self) -> str:
        return self.query.kind


def _invalid(field: str, message: str, code: str = "invalid_request") -> Refused:
    return Refused(422, code, f"{field}: {message}", field)


def parse(caller: Caller, kind: str, properties: Mapping[str, Any], threshold: float | None, limit: int | None,
          settings: ServiceSettings, prefix: str = "") -> Asked:
    """The query of a request (its fields typed by the API's model); 422 naming the field for a
    property of the other kind, a malformed region code, a threshold outside [0, 1] or a limit
    outside [1, CREDIT_GRAPH_MATCH_MAX_LIMIT], and for a query with nothing to find candidates by
    (no name with a letter or digit, and no id); 403 for a person query of the public role."""
    if kind not in scoring.PROPERTIES:
        raise _invalid(f"{prefix}kind", f"unknown kind {kind!r}; expected enterprise or person")
    if kind == "person" and not caller.sees_persons:
        raise Refused(403, "forbidden", f"role {caller.role} may not match persons", f"{prefix}kind")
    allowed = scoring.PROPERTIES[kind]
    props: dict[str, Any] = {}
    for key, value in properties.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key not in allowed:
            raise _invalid(f"{prefix}properties.{key}",
                           f"not a property of a {kind} query (those are {', '.join(allowed)})")
        props[key] = value.strip() if isinstance(value, str) else value
    if "region_code" in props:
        try:
            props["region_code"] = validate_region_code(props["region_code"]).value
        except IdentifierError as exc:
            raise _invalid(f"{prefix}properties.region_code", str(exc), "invalid_region") from None
    id_key = "uscc" if kind == "enterprise" else "person_id"
    name = props.get("name")
    usable_name = isinstance(name, str) and any(c.isalnum() for c in fold(name))
    if name and not usable_name and id_key not in props:
        raise _invalid(f"{prefix}properties.name", f"{name!r} holds no letter, digit or character of a name")
    if not usable_name and id_key not in props:
        raise _invalid(f"{prefix}properties", f"a {kind} query needs `name` or `{id_key}` to find candidates by; "
                                              f"the other properties ({', '.join(a for a in allowed if a not in ('name', id_key))}) "
                                              "only weigh the candidates found")
    if not usable_name:
        props.pop("name", None)
    t = settings.match_threshold if threshold is None else threshold
    if not 0.0 <= t <= 1.0:  # NaN fails too
        raise _invalid(f"{prefix}threshold", f"must be between 0 and 1, got {t}")
    n = settings.match_limit if limit is None else limit
    if not 1 <= n <= settings.match_max_limit:
        raise _invalid(f"{prefix}limit", f"must be between 1 and {settings.match_max_limit} "
                                         f"(CREDIT_GRAPH_MATCH_MAX_LIMIT), got {n}")
    return Asked(scoring.prepare(kind, props), t, n)


# --- reading the candidates ------------------------------------------------------------------

@lru_cache(maxsize=4096)
def id_codes(region_code: str) -> tuple[str, ...]:
    """The address codes a citizen id of someone registered in `region_code` may start with: the
    region and the regions below it, the retired codes they took over, and for a county those its
    city took over (a retired city code was split among its districts: 432801 is Beihu or Suxian
    now); () for a province (too many codes) or an unknown code."""
    table = region_table()
    target = table.effective(region_code)
    up = table.ancestors(target)
    if len(up) < 2:
        return ()
    city = up[1] if len(up) == 3 else None
    codes = tuple(sorted(r.code for r in table
                         if target in table.ancestors(table.effective(r.code))
                         or (city is not None and r.retired and r.successor == city)))
    return codes if len(codes) <= MAX_ID_PREFIXES else ()


def name_query(q: scoring.Query) -> str | None:
    """The full-text query of a name: the field `search_keys` (folded names and their cores), and
    `pinyin_keys` for a person. An enterprise is looked up by its core only (恒基建材): the bigrams
    of organisation forms and of the big cities' names are in most names, and reading their
    postings would cost more than the rest of a match. The national list of region names cuts
    trade names that are counties elsewhere (郴州市新源餐饮管理 -> 餐饮管理): so the core cut
    with the names of the region asked only is looked up too, or without a region asked the name
    without its form."""
    if not q.folded:
        return None
    if q.kind == "enterprise":
        # Without a region, the name without its form: its trade name stays, at the cost of the
        # bigrams of its region names.
        regions = scoring.chain_regions((q.region_code,)) if q.region_code else frozenset()
        terms = [q.core, core_name(q.name, regions) if q.name else q.core]
        return f"search_keys:({any_of(list(dict.fromkeys(terms)))})"
    if q.typed_pinyin:
        spelled = q.pinyin[0]
        return f"pinyin_keys:({escape(spelled)})" + (f" OR pinyin_keys:{spelled}~1" if len(spelled) >= 6 else "")
    text = f"search_keys:({any_of([q.folded])})"
    if q.pinyin:
        text += " OR pinyin_keys:(" + " OR ".join(escape(p) for p in q.pinyin) + ")"
    return text


def statement_entry(i: int, q: scoring.Query) -> dict[str, Any]:
    """What cypher/match/candidates reads for query `i`."""
    prefixes: list[str] = []
    if q.kind == "person" and q.birth_date and q.region_code:
        day = q.birth_date.strftime("%Y%m%d")
        prefixes = [c + day for c in id_codes(q.region_code)]
    rep = q.representative_folded if q.kind == "enterprise" and q.representative_folded else None
    has_han = rep is not None and any("\u4e00" <= c <= "\u9fff" for c in rep)
    return {"i": i, "kind": q.kind, "id": q.id, "text": name_query(q), "prefixes": prefixes,
            "representative": rep if has_han else None,
            "representative_text": f"search_keys:({any_of([rep])})" if rep and has_han else None}


def rank(caller: Caller, asked: Asked, candidates: list[dict[str, Any]]) -> dict[str, Any]:
    """The answer to one query: its candidates scored, best first, at most `limit` of them. A
    candidate the caller may not read in full (a person for the public role, a subject outside a
    region-scoped key's region) is marked `masked` (the API masks its id and name) and explained
    without the reasons, which quote stored names."""
    scored = []
    for c in candidates:
        s = scoring.score(asked.query, c)
        if s.score <= 0.0:
            continue
        scored.append((s, c))
    scored.sort(key=lambda sc: (-sc[0].score, sc[1]["kind"], sc[1]["id"]))
    out = []
    for s, c in scored[:asked.limit]:
        in_scope = bool(c.get("in_scope", True))
        masked = not in_scope or (c["kind"] == "person" and not caller.sees_persons)
        out.append({"subject": {"kind": c["kind"], "id": c["id"], "name": c.get("name"),
                                "region_code": c.get("region_code"), "status": c.get("status"),
                                "in_scope": in_scope, "masked": masked},
                    "score": s.score, "match": s.score >= asked.threshold, "features": s.features,
                    "contributions": s.contributions, "explanation": s.explanation(reasons=not masked)})
    q = asked.query
    return {"kind": q.kind, "threshold": asked.threshold, "limit": asked.limit,
            "compared": len(candidates), "matches": sum(1 for c in out if c["match"]),
            "query": {"name": q.name, "folded": q.folded or None, "core": (q.core or None) if q.kind == "enterprise"
                      else None, "pinyin": list(q.pinyin) or None, "id": q.id, "features": q.given()},
            "candidates": out}


async def read_candidates(tx: Any, caller: Caller, queries: list[scoring.Query], settings: ServiceSettings,
                          today: dt.date) -> list[list[dict[str, Any]]]:
    """The candidates of each query, in the order given (one statement)."""
    if not queries:
        return []
    entries = [statement_entry(i, q) for i, q in enumerate(queries)]
    rows = await rows_async(tx, "match/candidates", queries=entries, fetch=settings.match_candidates,
                            today=today.isoformat(), scope=caller.region_code, packed=True, convert=False)
    out: list[list[dict[str, Any]]] = [[] for _ in queries]
    for row in rows:
        out[row["i"]] = row["candidates"]
    return out


async def match_many(tx: Any, caller: Caller, asked: Mapping[str, Asked], settings: ServiceSettings,
                     today: dt.date | None = None) -> dict[str, dict[str, Any]]:
    """The answers of several checked queries (key -> answer), read in one statement in `tx`."""
    keys = list(asked)
    found = await read_candidates(tx, caller, [asked[k].query for k in keys], settings, today or dt.date.today())
    return {k: rank(caller, asked[k], cands) for k, cands in zip(keys, found)}


async def match_one(graph: Graph, caller: Caller, kind: str, properties: Mapping[str, Any], threshold: float | None,
                    limit: int | None, settings: ServiceSettings) -> dict[str, Any]:
    """POST /v1/match: the query checked (ServiceError for a bad one), its candidates ranked."""
    asked = parse(caller, kind, properties, threshold, limit, settings)
    answers = await graph.read_auto(match_many, caller, {"q": asked}, settings)
    return answers["q"]


async def match_batch(graph: Graph, caller: Caller, queries: Mapping[str, Mapping[str, Any]],
                      settings: ServiceSettings, refused: Mapping[str, ServiceError] | None = None
                      ) -> dict[str, tuple[int, dict[str, Any]]]:
    """POST /v1/match/batch: key -> (200, answer) or (status, error body) as the single match would
    answer each query (`queries`: key -> {kind, properties, threshold, limit}). `refused`: keys the
    caller already refused (a person query of an investigator without a purpose). Read in chunks
    of CREDIT_GRAPH_MATCH_BATCH_CHUNK queries, CREDIT_GRAPH_BATCH_PARALLELISM at a time."""
    out: dict[str, tuple[int, dict[str, Any]]] = {}
    todo: dict[str, Asked] = {}
    for k, q in queries.items():
        prefix = f"queries.{k}."
        try:
            if refused and k in refused:
                raise refused[k]
            todo[k] = parse(caller, q["kind"], q.get("properties") or {}, q.get("threshold"), q.get("limit"),
                            settings, prefix)
        except ServiceError as exc:
            out[k] = (exc.status, {"code": exc.code, "message": str(exc), "field": exc.field})
    keys = list(todo)
    chunks = [keys[i:i + settings.match_batch_chunk] for i in range(0, len(keys), settings.match_batch_chunk)]
    gate = asyncio.Semaphore(settings.batch_parallelism)
    today = dt.date.today()

    async def run(chunk: list[str]) -> dict[str, dict[str, Any]]:
        async with gate:
            return await graph.read_tx(match_many, caller, {k: todo[k] for k in chunk}, settings, today)

    for done in await asyncio.gather(*(run(c) for c in chunks)):
        for k, answer in done.items():
            out[k] = (200, answer)
    return {k: out[k] for k in queries}
