"""How well a stored subject matches a query by example (POST /v1/match; docs/search.md, "Match").

Pure Python, no graph: `prepare` turns a query's properties into their comparable forms (names
folded and cored by graph_service.domain.names, the same functions the writers stored the keys
with), `score` compares one candidate's stored facts with them, feature by feature, and combines
the features into one score in [0, 1].

The formula (WEIGHTS below are its data):

    score = 1                                     when the query's USCC / person id is the candidate's
    score = clamp(w_name · s_name + Σ c_f, 0, 0.99)  otherwise, where for every other feature f that
            both the query and the candidate have, with similarity s_f in [0, 1]:
            c_f = agree_f · (2 s_f − 1)      if s_f ≥ 0.5 (evidence for: up to +agree_f)
            c_f = −conflict_f · (1 − 2 s_f)  if s_f < 0.5 (evidence against: down to −conflict_f)

A feature the query leaves out, or the candidate lacks (a passport holder has no birth date in his
id), counts nothing. So, for one person: exact id (1.0) > same name and birth date (0.7 + 0.25 =
0.95) > same name only (0.7) > same name and another birth date (0.7 − 0.3 = 0.4); the default
threshold (CREDIT_GRAPH_MATCH_THRESHOLD, 0.7) makes a unique name alone a match, the name with a
conflicting birth date, gender, legal representative or region not. The weights were set on the
labelled variants of bench/calibrate.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

from graph_service.domain.names import (
    core_name,
    fold,
    looks_like_pinyin,
    pinyin_keys,
    pinyin_query,
    region_short_forms,
)
from graph_service.identifiers import normalize_id, ric_check_char
from graph_service.regions import region_table


@dataclass(frozen=True)
class Weight:
    """What a feature adds when it agrees fully (`agree`) and takes away when it conflicts fully
    (`conflict`); in between, linearly, with nothing at similarity 0.5."""

    agree: float
    conflict: float


# The weight of the name (times its similarity: the base of every score without an exact id).
NAME_WEIGHT = 0.70
WEIGHTS: dict[str, Weight] = {
    # Birth dates rarely coincide between two persons of the same name: strong both ways.
    "birth_date": Weight(agree=0.25, conflict=0.30),
    # Half of all persons share a gender: agreeing says little, disagreeing much.
    "gender": Weight(agree=0.03, conflict=0.20),
    # Registration regions are reliable: a county of another city is evidence against.
    "region": Weight(agree=0.08, conflict=0.25),
    "legal_representative": Weight(agree=0.15, conflict=0.15),
    # Addresses change and are written loosely: a small weight, smaller against than for.
    "address": Weight(agree=0.08, conflict=0.05),
    # An id that is not the candidate's: one typing error away is evidence for, another id against.
    "id": Weight(agree=0.15, conflict=0.30),
}
_LABELS = {"birth_date": "birth date", "gender": "gender", "region": "region",
           "legal_representative": "legal representative", "address": "address",
           "id": "an id that is not the candidate's (one typing error away / another id)"}


def weights_text() -> str:
    """The weights as the OpenAPI description and docs/search.md state them."""
    return ", ".join(f"{_LABELS[f]} +{w.agree:.2f}/−{w.conflict:.2f}" for f, w in WEIGHTS.items())


EXACT_ID_SCORE = 1.0
MAX_WITHOUT_ID = 0.99  # anything short of the id itself stays below an exact id

# The order features are listed in answers.
FEATURES = ("id", "name", "birth_date", "gender", "region", "legal_representative", "address")
ENTERPRISE_PROPERTIES = ("name", "uscc", "region_code", "legal_representative", "address")
PERSON_PROPERTIES = ("name", "person_id", "birth_date", "gender", "region_code")
PROPERTIES = {"enterprise": ENTERPRISE_PROPERTIES, "person": PERSON_PROPERTIES}
GENDERS = ("male", "female")


# --- the query -------------------------------------------------------------------------------

def upgrade_id(value: str) -> str:
    """A first-generation 15-digit citizen id in its 18-digit form (born 19xx, check computed);
    any other value unchanged."""
    if len(value) == 15 and value.isdigit():
        first17 = value[:6] + "19" + value[6:]
        return first17 + ric_check_char(first17)
    return value


@dataclass(frozen=True)
class Query:
    """A query's properties in the forms they are compared in."""

    kind: str
    name: str | None = None
    folded: str = ""  # fold(name)
    core: str = ""  # core_name(name) for an enterprise, else the folded name
    pinyin: tuple[str, ...] = ()  # a person's name in pinyin: as typed, or every reading of its characters
    typed_pinyin: bool = False  # the name was given in Latin letters, read as pinyin
    id: str | None = None  # the USCC or person id, normalised (a 15-digit citizen id upgraded)
    birth_date: dt.date | None = None
    gender: str | None = None
    region_code: str | None = None
    legal_representative: str | None = None
    representative_folded: str = ""
    representative_pinyin: tuple[str, ...] = ()
    address: str | None = None

    def given(self) -> list[str]:
        """The properties the query has, in the order of FEATURES (the id as `id`)."""
        have = {"id": self.id, "name": self.folded or None, "birth_date": self.birth_date, "gender": self.gender,
                "region": self.region_code, "legal_representative": self.representative_folded or None,
                "address": self.address}
        return [f for f in FEATURES if have[f]]


def _name_forms(name: str) -> tuple[str, tuple[str, ...], bool]:
    """(folded, pinyin spellings, typed in pinyin) of a person's name."""
    if looks_like_pinyin(name):
        return fold(name), (pinyin_query(name),), True
    return fold(name), tuple(pinyin_keys(name)), False


def prepare(kind: str, props: Mapping[str, Any]) -> Query:
    """The comparable forms of a query's properties (already validated: graph_service.search.match)."""
    name = props.get("name") or None
    folded = fold(name) if name else ""
    pinyin: tuple[str, ...] = ()
    typed = False
    if name and kind == "person":
        folded, pinyin, typed = _name_forms(name)
    raw_id = props.get("uscc") if kind == "enterprise" else props.get("person_id")
    ident = upgrade_id(normalize_id(raw_id)) if raw_id else None
    rep = props.get("legal_representative") or None
    rep_folded, rep_pinyin = ("", ()) if not rep else _name_forms(rep)[:2]
    address = props.get("address") or None
    return Query(kind=kind, name=name, folded=folded, core=(core_name(name) if name and kind == "enterprise"
                                                           else folded),
                 pinyin=pinyin, typed_pinyin=typed, id=ident or None, birth_date=props.get("birth_date"),
                 gender=props.get("gender"), region_code=props.get("region_code"), legal_representative=rep,
                 representative_folded=rep_folded, representative_pinyin=rep_pinyin,
                 address=fold(address) if address else None)


# --- the features ----------------------------------------------------------------------------

@lru_cache(maxsize=65536)
def _person_forms(name: str) -> tuple[str, tuple[str, ...]]:
    return fold(name), tuple(pinyin_keys(name))


def _differ(d: int) -> str:
    return "1 character differs" if d == 1 else f"{d} characters differ"


def _edit_similarity(a: str, b: str, length: int) -> float:
    return max(0.0, 1.0 - Levenshtein.distance(a, b) / max(length, 1))


@lru_cache(maxsize=4096)
def chain_regions(codes: tuple[str, ...]) -> frozenset[str]:
    """The names (full and short: 郴州市, 郴州) of the regions `codes` and their ancestors (retired
    codes as written and as their successor): what an enterprise name of one of them may start
    with or carry in brackets."""
    table = region_table()
    names = []
    for code in codes:
        for c in dict.fromkeys((code, table.effective(code))):
            for a in table.ancestors(c):
                r = table.get(a)
                if r is not None:
                    names.append(r.name)
    return region_short_forms(names)


@lru_cache(maxsize=65536)
def _fold(name: str) -> str:
    return fold(name)


@lru_cache(maxsize=65536)
def _core_in(name: str, regions: frozenset[str]) -> str:
    return core_name(name, regions)


def enterprise_name(q: Query, names: Iterable[tuple[str, str | None]], regions: frozenset[str]) -> tuple[float, str]:
    """The best similarity of the query's name to any of the candidate's (label, name) pairs.

    1.0: equal once folded (width, brackets, spaces, dots, traditional characters); 0.95: equal
    without the organisation form and the names of `regions` (the candidate's and the query's
    regions with their ancestors: a trade name such as 新源 or 永和, which is also a county
    somewhere else, stays); else one minus the edit distance (of those cores, or of the folded
    names when smaller: a typing error in the form) over the longer core, so that one wrong
    character of a four-character core gives 0.75."""
    best, why = -1.0, "no name to compare"
    q_core = _core_in(q.name, regions) if q.name else q.core
    for label, name in names:
        if not name:
            continue
        folded = _fold(name)
        core = _core_in(name, regions)
        if folded == q.folded:
            sim, reason = 1.0, f"equals the {label} once folded (width, brackets, spaces, dots, traditional characters)"
        elif core == q_core:
            sim, reason = 0.95, f"equals the {label} without organisation form and region ({core})"
        else:
            d = min(Levenshtein.distance(q_core, core), Levenshtein.distance(q.folded, folded))
            sim = max(0.0, 1.0 - d / max(len(q_core), len(core), 1))
            reason = f"{_differ(d)} from the {label} ({core} against {q_core})"
        if sim > best:
            best, why = sim, reason
    return max(best, 0.0), why


def person_name(q: Query, name: str | None, stored: Iterable[str] | None = None) -> tuple[float, str]:
    """1.0: equal once folded (width, spaces, dots, traditional characters); 0.9: the pinyin typed
    is a reading of the name; 0.85: another name of the same reading (a homophone written for it);
    else one minus the edit distance over the longer name (of the pinyin when typed in pinyin, times 0.9).
    `stored`: the candidate's `pinyin_keys` as written with it (the same pinyin_keys(name)), which
    spares spelling every candidate anew (pypinyin is most of a person match's time)."""
    if not name:
        return 0.0, "no name to compare"
    if stored is None:
        folded, spelled = _person_forms(name)
    else:
        folded, spelled = _fold(name), tuple(stored)
    if folded == q.folded:
        return 1.0, "equal once folded (width, spaces, dots, traditional characters)"
    if q.typed_pinyin:
        typed = q.pinyin[0] if q.pinyin else ""
        if typed in spelled:
            return 0.9, f"{typed} is how the name reads in pinyin"
        best = max((fuzz.ratio(typed, s) / 100 for s in spelled), default=0.0)
        return 0.9 * best, f"the pinyin {typed} is similar to the name's reading ({best:.2f})"
    if set(q.pinyin) & set(spelled):
        return 0.85, "reads the same in pinyin (a homophone)"
    sim = _edit_similarity(q.folded, folded, max(len(q.folded), len(folded)))
    return sim, _differ(Levenshtein.distance(q.folded, folded))


def representative(q: Query, reps: Iterable[str | None]) -> tuple[float, str]:
    """Whether the legal representative asked is one of the candidate's current ones (or its
    operator): 1.0 the same name, 0.85 the same pinyin, else 0. No partial credit: two names of
    one surname are two persons."""
    best, why = 0.0, "not the name of its legal representative"
    for name in reps:
        if not name:
            continue
        folded, spelled = _person_forms(name)
        if folded == q.representative_folded:
            return 1.0, "is its legal representative's name"
        if set(q.representative_pinyin) & set(spelled):
            best, why = 0.85, "reads as its legal representative's name in pinyin"
    return best, why


def birth_date(asked: dt.date, born: dt.date) -> tuple[float, str]:
    """1.0 equal; 0.3 one of year, month and day differs, or month and day swapped (a typing error,
    or another person born close by: a little against); 0 otherwise."""
    if asked == born:
        return 1.0, f"{asked.isoformat()} is the birth date its citizen id encodes"
    parts = [asked.year != born.year, asked.month != born.month, asked.day != born.day]
    swapped = asked.year == born.year and asked.month == born.day and asked.day == born.month
    if sum(parts) == 1 or swapped:
        return 0.3, f"{asked.isoformat()} differs in one part from the birth date its citizen id encodes"
    return 0.0, f"{asked.isoformat()} is not the birth date its citizen id encodes"


def region(asked: str, codes: Iterable[str]) -> tuple[float, str]:
    """How the region asked relates to the candidate's (its registration and, for a person, the
    address code of the citizen id), through GB/T 2260 (retired codes count as their successor):
    1.0 the same; 0.9 the candidate lies in the city asked, 0.7 in the province asked or asked a
    county of the city it is registered in; 0.5 (nothing) the same city; 0.2 the same province; 0 elsewhere."""
    return _region(asked, tuple(codes))


@lru_cache(maxsize=65536)
def _region(asked: str, codes: tuple[str, ...]) -> tuple[float, str]:
    table = region_table()
    a = table.effective(asked)
    a_up = table.ancestors(a) or [a]
    best, why = -1.0, ""
    for code in codes:
        c = table.effective(code)
        c_up = table.ancestors(c) or [c]
        if c == a:
            s, w = 1.0, f"registered in {asked}"
        elif a in c_up:
            s, w = (0.9 if c_up.index(a) == 1 else 0.7), f"registered in {code}, within {asked}"
        elif c in a_up:
            s, w = 0.7, f"registered in {code}, which contains {asked}"
        elif len(a_up) == len(c_up) == 3 and a_up[1] == c_up[1]:
            s, w = 0.5, f"registered in {code}, in the same city as {asked}"
        elif a_up[-1] == c_up[-1]:
            s, w = 0.2, f"registered in {code}, in the same province as {asked}"
        else:
            s, w = 0.0, f"registered in {code}, outside {asked}"
        if s > best:
            best, why = s, w
    return max(best, 0.0), why or f"registered outside {asked}"


_DIGITS = re.compile(r"\d+")


def address(asked: str, stored: str) -> tuple[float, str]:
    """Similarity of two folded addresses (rapidfuzz ratio), at most 0.4 when their numbers differ
    (two doors of one street are two places)."""
    other = fold(stored)
    sim = fuzz.ratio(asked, other) / 100
    if _DIGITS.findall(asked) != _DIGITS.findall(other):
        return min(sim, 0.4), f"similarity {sim:.2f}, with other numbers"
    return sim, f"similarity {sim:.2f}"


def near_id(asked: str, stored: str) -> tuple[float, str]:
    """An id given that is not the candidate's: 0.75 one typing error away (a character wrong,
    added, left out, or two swapped), 0.25 two, else 0 (another subject's id)."""
    d = OSA.distance(asked, stored)
    if d == 1:
        return 0.75, "differs from its id by one typing error"
    if d == 2:
        return 0.25, "differs from its id in two characters"
    return 0.0, "is not its id"


def resident_facts(person_id: str, id_type: str | None) -> tuple[dt.date | None, str | None]:
    """(birth date, gender) a citizen id encodes (positions 7-14 and the parity of 17); (None, None)
    for another document or an id whose date is not a day."""
    if (id_type or "resident_id") != "resident_id" or len(person_id) != 18 or not person_id[:17].isdigit():
        return None, None
    try:
        born = dt.date(int(person_id[6:10]), int(person_id[10:12]), int(person_id[12:14]))
    except ValueError:
        return None, None
    return born, GENDERS[0] if int(person_id[16]) % 2 else GENDERS[1]


# --- the score -------------------------------------------------------------------------------

@dataclass
class Scored:
    score: float
    exact_id: bool
    features: dict[str, float] = field(default_factory=dict)  # similarity of each feature compared
    contributions: dict[str, float] = field(default_factory=dict)  # what each added to the score
    reasons: dict[str, str] = field(default_factory=dict)

    def explanation(self, reasons: bool = True) -> str:
        """Each feature's similarity, contribution and (`reasons`) why: the reasons may quote the
        candidate's stored name and region, left out for a candidate shown masked."""
        parts = [f"{f} {self.features[f]:.2f} ({self.contributions[f]:+.3f})" + (f": {self.reasons[f]}" if reasons else "")
                 for f in FEATURES if f in self.features]
        head = "exact id" if self.exact_id else f"score {self.score:.3f}"
        return f"{head}; " + "; ".join(parts) if parts else head


def contribution(feature: str, s: float) -> float:
    w = WEIGHTS[feature]
    return w.agree * (2 * s - 1) if s >= 0.5 else -w.conflict * (1 - 2 * s)


def score(q: Query, cand: Mapping[str, Any]) -> Scored:
    """The features and the score of one candidate: a map with `kind`, `id`, `name`, and
    `former_names`, `region_code`, `address`, `representatives` (names) for an enterprise,
    `id_type` for a person."""
    out = Scored(0.0, False)
    found: dict[str, tuple[float, str]] = {}
    cid = cand["id"]
    if q.id:
        if q.id == cid:
            out.exact_id = True
            found["id"] = (1.0, f"{'USCC' if q.kind == 'enterprise' else 'person id'} is its id")
        else:
            found["id"] = near_id(q.id, cid)
    if q.folded:
        if q.kind == "enterprise":
            names = [("name", cand.get("name"))]
            names += [("former name", n) for n in cand.get("former_names") or []]
            codes = tuple(c for c in (cand.get("region_code"), q.region_code) if c)
            found["name"] = enterprise_name(q, names, chain_regions(codes))
        else:
            found["name"] = person_name(q, cand.get("name"), cand.get("pinyin_keys"))
    regions = [cand.get("region_code")]
    if q.kind == "person":
        born, gender = resident_facts(cid, cand.get("id_type"))
        if q.birth_date and born:
            found["birth_date"] = birth_date(q.birth_date, born)
        if q.gender and gender:
            found["gender"] = (1.0, f"{gender}, as its citizen id encodes") if q.gender == gender else \
                (0.0, f"its citizen id encodes {gender}")
        if born:
            regions.append(cid[:6])
    if q.region_code and any(regions):
        found["region"] = region(q.region_code, [r for r in regions if r])
    if q.kind == "enterprise":
        reps = cand.get("representatives") or []
        if q.representative_folded and reps:
            found["legal_representative"] = representative(q, reps)
        if q.address and cand.get("address"):
            found["address"] = address(q.address, cand["address"])
    total = 0.0
    for f in FEATURES:
        if f not in found:
            continue
        s, reason = found[f]
        out.features[f] = round(s, 4)
        out.reasons[f] = reason
        if f == "id" and out.exact_id:
            c = 0.0
        elif f == "name":
            c = NAME_WEIGHT * s
        else:
            c = contribution(f, s)
        out.contributions[f] = round(c, 4)
        total += c
    out.score = EXACT_ID_SCORE if out.exact_id else round(min(MAX_WITHOUT_ID, max(0.0, total)), 4)
    return out
