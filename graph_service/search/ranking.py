"""What a search text asks for, and how candidates are ranked against it (docs/search.md).

Pure Python: `parse` turns the text of `GET /v1/search?q=` into its folded, cored and pinyin
forms (graph_service.domain.names, the same functions the writers stored the keys with) and the
identifier it may be; `rank` orders the candidates the graph gave, each with the field that
matched and why. Classes, best first: the identifier itself, the whole name, the name without its
organisation form and region (or its pinyin), a prefix (of the USCC or the name), a part of the
name, and last names that are only similar (rapidfuzz), above a least similarity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, cast

from rapidfuzz import fuzz

from graph_service.domain.names import core_name, fold, looks_like_pinyin, pinyin_query
from graph_service.domain.vocabulary import SubjectKind
from graph_service.errors import Refused
from graph_service.identifiers import IdentifierError, normalize_id, validate_resident_id, validate_uscc
from graph_service.search.lucene import any_of

# The match classes, best first; the number is the rank.
Match = Literal["id", "exact", "core", "pinyin", "id_prefix", "prefix", "contains", "fuzzy"]
MatchedField = Literal["uscc", "person_id", "name", "former_names", "pinyin_keys"]
RANK: dict[str, int] = {"id": 0, "exact": 1, "core": 2, "pinyin": 2, "id_prefix": 3, "prefix": 3, "contains": 4, "fuzzy": 5}
USCC_PREFIX_MIN = 6  # a shorter prefix of digits and letters would name thousands of enterprises
_ID_CHARS = re.compile(r"[0-9A-Z]+")


@dataclass(frozen=True)
class Query:
    """A search text and what it may stand for."""

    text: str  # as given, without surrounding spaces
    folded: str  # fold(text): width, brackets, spaces, dots, traditional characters removed
    core: str  # core_name(text): also without organisation form and leading regions
    pinyin: str | None  # the text as pinyin ("wangjianguo"), when it is Latin letters only
    id: str | None  # the text as an identifier (upper case, half width), when it can be one
    uscc: str | None  # a valid USCC
    resident_id: str | None  # a valid citizen ID

    @property
    def uscc_prefix(self) -> str | None:
        """The text as the start of a USCC: 6 to 17 digits and letters."""
        if self.id and USCC_PREFIX_MIN <= len(self.id) < 18:
            return self.id
        return None

    def lucene(self) -> str | None:
        """The full-text query (lucene.any_of of the folded and cored forms and the pinyin); None
        when the text is a whole identifier, which names one subject and no name."""
        if self.uscc or self.resident_id:
            return None
        terms = list(dict.fromkeys(t for t in (self.folded, self.core, self.pinyin) if t))
        text = any_of(terms)
        # A single character, or pinyin being typed: bigram and pinyin terms that start with it.
        extra = [t for t in (self.folded if len(self.folded) == 1 else None, self.pinyin) if t and t.isalnum()]
        return " OR ".join([text, *(f"{t}*" for t in extra)]) if extra else text


def _invalid(message: str) -> Refused:
    return Refused(422, "invalid_request", f"q: {message}", "q")


def parse(text: str, max_length: int) -> Query:
    """The query of `q`; 422 naming `q` when it is empty, longer than `max_length` characters
    (CREDIT_GRAPH_SEARCH_MAX_QUERY_LENGTH) or holds no letter or digit."""
    if len(text) > max_length:
        raise _invalid(f"at most {max_length} characters (CREDIT_GRAPH_SEARCH_MAX_QUERY_LENGTH), got {len(text)}")
    stripped = text.strip()
    if not stripped:
        raise _invalid("empty: give a name, part of one, a USCC (whole or its first 6 characters or more) "
                       "or a person id")
    folded = fold(stripped)
    if not any(c.isalnum() for c in folded):
        raise _invalid(f"{stripped!r} holds no letter, digit or character of a name (only punctuation)")
    normal = normalize_id(stripped)
    ident = normal if _ID_CHARS.fullmatch(normal) else None
    uscc = resident = None
    if ident and len(ident) == 18:
        uscc = _valid(validate_uscc, ident)
        resident = _valid(validate_resident_id, ident)
    return Query(text=stripped, folded=folded, core=core_name(stripped),
                 pinyin=pinyin_query(stripped) if looks_like_pinyin(stripped) else None,
                 id=ident, uscc=uscc, resident_id=resident)


def _valid(check: Any, value: str) -> str | None:
    try:
        return check(value).value
    except IdentifierError:
        return None


# --- ranking ---------------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _forms(name: str) -> tuple[str, str]:
    """(fold, core) of a stored name: candidates repeat across queries, and core_name costs ~40 µs."""
    return fold(name), core_name(name)


@dataclass
class Hit:
    kind: SubjectKind
    id: str
    name: str | None
    region_code: str | None
    status: str | None
    former_names: list[str]
    in_scope: bool  # in the caller's region (always for a key without one)
    match: Match
    matched_field: MatchedField
    matched_value: str | None
    similarity: float  # 0..1
    why: str
    order: tuple = field(default=(), repr=False)


def _similar(a: str, b: str) -> float:
    return fuzz.ratio(a, b) / 100.0


def _name_match(q: Query, name: str) -> tuple[str, float, str]:
    """(class, similarity, why) of one enterprise name against the query."""
    folded, core = _forms(name)
    # Cores, not whole names: the organisation form and region every name carries would make any
    # two names look alike.
    sim = _similar(q.core, core)
    if folded == q.folded:
        return "exact", 1.0, "equals the query (width, brackets, spaces, dots and traditional characters aside)"
    if core == q.core:
        return "core", 1.0, f"without organisation form and region is {core}, as the query"
    if core.startswith(q.core) or folded.startswith(q.folded):
        return "prefix", sim, f"starts with {q.core} (without organisation form and region)"
    if q.core in folded or q.folded in folded:
        return "contains", sim, f"contains {q.core}"
    return "fuzzy", sim, f"is similar to the query (similarity {sim:.2f})"


def _person_match(q: Query, name: str, pinyin_keys: list[str]) -> tuple[str, float, str, str]:
    """(class, similarity, why, field) of a person's name against the query."""
    folded, _ = _forms(name)
    if folded == q.folded:
        return "exact", 1.0, "the name equals the query (width, spaces, dots and traditional characters aside)", \
            "name"
    if q.pinyin and pinyin_keys:
        if q.pinyin in pinyin_keys:
            return "pinyin", 1.0, f"the name reads {q.pinyin} in pinyin", "pinyin_keys"
        best = max(pinyin_keys, key=lambda k: _similar(q.pinyin or "", k))
        sim = _similar(q.pinyin, best)
        if best.startswith(q.pinyin):
            return "prefix", sim, f"the name's pinyin {best} starts with {q.pinyin}", "pinyin_keys"
        if q.pinyin in best:
            return "contains", sim, f"the name's pinyin {best} contains {q.pinyin}", "pinyin_keys"
    sim = _similar(q.folded, folded)
    if folded.startswith(q.folded):
        return "prefix", sim, f"the name starts with {q.folded}", "name"
    if q.folded in folded:
        return "contains", sim, f"the name contains {q.folded}", "name"
    if q.pinyin and pinyin_keys:
        psim = max(_similar(q.pinyin, k) for k in pinyin_keys)
        if psim > sim:
            return "fuzzy", psim, f"the name's pinyin is similar to the query (similarity {psim:.2f})", "pinyin_keys"
    return "fuzzy", sim, f"the name is similar to the query (similarity {sim:.2f})", "name"


def _hit(row: Mapping[str, Any], match: str, matched_field: str, value: str | None, sim: float, why: str) -> Hit:
    return Hit(kind=row["kind"], id=row["id"], name=row.get("name"), region_code=row.get("region_code"),
               status=row.get("status"), former_names=list(row.get("former_names") or []),
               in_scope=bool(row.get("in_scope", True)), match=cast(Match, match),
               matched_field=cast(MatchedField, matched_field),
               matched_value=value, similarity=round(sim, 4), why=why)


def judge(q: Query, row: Mapping[str, Any]) -> Hit:
    """The best match of one candidate (a row of cypher/search/names or ids)."""
    if row["kind"] == "enterprise":
        if q.id and row["id"] == q.id:
            return _hit(row, "id", "uscc", row["id"], 1.0, "the USCC equals the query")
        former = list(row.get("former_names") or [])
        untils = list(row.get("former_names_until") or [])
        names = [("name", row.get("name"), "the name")]
        # Latest former name first: of two equal matches, the more recent name explains the hit.
        for i in reversed(range(len(former))):
            until = f" (until {untils[i].isoformat()})" if i < len(untils) and untils[i] is not None else ""
            names.append(("former_names", former[i], f"the former name {former[i]}{until}"))
        best: Hit | None = None
        for fld, name, what in names:
            if not name:
                continue
            cls, sim, why = _name_match(q, name)
            h = _hit(row, cls, fld, name, sim, f"{what} {why}")
            if best is None or (RANK[h.match], -h.similarity) < (RANK[best.match], -best.similarity):
                best = h
        if q.uscc_prefix and row["id"].startswith(q.uscc_prefix) and (best is None or RANK[best.match] > 3):
            return _hit(row, "id_prefix", "uscc", row["id"], len(q.uscc_prefix) / 18,
                        f"the USCC starts with {q.uscc_prefix}")
        return best or _hit(row, "fuzzy", "name", None, 0.0, "found by the full-text index of names")
    if q.id and row["id"] == q.id:
        return _hit(row, "id", "person_id", row["id"], 1.0, "the person id equals the query")
    cls, sim, why, fld = _person_match(q, row.get("name") or "", list(row.get("pinyin_keys") or []))
    value = row.get("name") if fld == "name" else None
    return _hit(row, cls, fld, value, sim, why)


def rank(q: Query, rows: Iterable[Mapping[str, Any]], min_similarity: float, scope_first: bool) -> list[Hit]:
    """The candidates as hits, best first, without repeats and without the fuzzy ones below
    `min_similarity` (0-100). `scope_first`: a region-scoped key's hits in its region come first."""
    seen: dict[tuple[str, str], Hit] = {}
    for row in rows:
        h = judge(q, row)
        if h.match == "fuzzy" and h.similarity * 100 < min_similarity:
            continue
        key = (h.kind, h.id)
        if key not in seen or RANK[h.match] < RANK[seen[key].match]:
            seen[key] = h
    for h in seen.values():
        h.order = ((0 if h.in_scope or not scope_first else 1), RANK[h.match],
                   0 if h.matched_field != "former_names" else 1, -h.similarity, len(h.name or ""), h.kind, h.id)
    return sorted(seen.values(), key=lambda h: h.order)
