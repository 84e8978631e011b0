"""Candidate duplicate subjects of a region (GET /v1/analytics/duplicates; docs/search.md, "Identity").

Two persons registered in the region with the same name and the same birth date (positions 7-14 of
an 18-digit citizen ID) under different ids, and two enterprises with the same name and address
under different USCCs, are candidate pairs. Statements group them in Neo4j (cypher/identity/
*_candidates); each pair is scored here from features, each contributing a weight:

persons (the name and birth date give 0.5):
  same sex (position 17's parity) +0.1, a different sex -0.4 (two people, not one written twice);
  same address code (positions 1-6) +0.1; ids one or two digits apart (a typing error) +0.15;
  a role or holding in the same enterprise +0.15.
enterprises (the name and address give 0.5):
  a legal representative in common +0.2; another person in common (roles, holdings) +0.1;
  the same establishment date +0.1; the same registering region +0.05; USCCs one or two characters
  apart +0.05.

The score is the sum, held to [0, 1]; pairs come best first. Pairs an admin judged "different"
(POST /v1/resolutions) are left out; a subject merged into another is no candidate any more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from graph_service.access.caller import Caller
from graph_service.errors import not_found
from graph_service.runner import Graph, rows_async

KINDS = ("person", "enterprise")  # persons first: SUBJECT_KINDS in the order the list reads them

PERSON_BASE = 0.5
ENTERPRISE_BASE = 0.5
WEIGHTS = {
    "same_sex": 0.1,
    "different_sex": -0.4,
    "same_address_code": 0.1,
    "id_near": 0.15,
    "shared_enterprise": 0.15,
    "shared_legal_representative": 0.2,
    "shared_person": 0.1,
    "same_established_on": 0.1,
    "same_region": 0.05,
    "uscc_near": 0.05,
}


def pair_key(a: str, b: str) -> str:
    """The key of an unordered pair of ids (a judgement's `pair_key`)."""
    return "|".join(sorted((a, b)))


def _differing(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))


def _reason(feature: str, detail: str, weight: float | None = None) -> dict[str, Any]:
    return {"feature": feature, "weight": WEIGHTS[feature] if weight is None else weight, "detail": detail}


def _total(reasons: list[dict[str, Any]]) -> float:
    return round(min(1.0, max(0.0, sum(r["weight"] for r in reasons))), 4)


def person_pair(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The scored pair of two person rows of identity/person_candidates (same name and birth)."""
    birth = a["birth"]
    reasons = [_reason("same_name_and_birth_date", f"both named {a['name']}, born "
                       f"{birth[:4]}-{birth[4:6]}-{birth[6:]} (positions 7-14 of the citizen ID)", PERSON_BASE)]
    ida, idb = a["id"], b["id"]
    if int(ida[16]) % 2 == int(idb[16]) % 2:
        reasons.append(_reason("same_sex", f"both {'male' if int(ida[16]) % 2 else 'female'} (position 17)"))
    else:
        reasons.append(_reason("different_sex", "one male, one female (position 17): two people rather than one"))
    if ida[:6] == idb[:6]:
        reasons.append(_reason("same_address_code", f"the same address code {ida[:6]} (positions 1-6)"))
    n = _differing(ida[:17], idb[:17])
    if n <= 2:
        reasons.append(_reason("id_near", f"the ids differ in {n} of the first 17 digits (a typing error?)"))
    shared = sorted(set(a["enterprises"]) & set(b["enterprises"]))
    if shared:
        reasons.append(_reason("shared_enterprise", f"both hold a role or shares in {', '.join(shared[:3])}"
                               + (f" and {len(shared) - 3} more" if len(shared) > 3 else "")))
    return _pair("person", a, b, reasons)


def enterprise_pair(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The scored pair of two enterprise rows of identity/enterprise_candidates (same name and address)."""
    reasons = [_reason("same_name_and_address", f"both named {a['name']} at {a['address']}", ENTERPRISE_BASE)]
    reps = sorted(set(a["legal_representatives"]) & set(b["legal_representatives"]))
    if reps:
        reasons.append(_reason("shared_legal_representative", f"legal representative {', '.join(reps)} of both"))
    others = sorted((set(a["persons"]) & set(b["persons"])) - set(reps))
    if others:
        reasons.append(_reason("shared_person", f"{len(others)} other person(s) in roles or holdings of both"))
    if a["established_on"] is not None and a["established_on"] == b["established_on"]:
        reasons.append(_reason("same_established_on", f"both established on {a['established_on']}"))
    if a["region_code"] and a["region_code"] == b["region_code"]:
        reasons.append(_reason("same_region", f"both registered in {a['region_code']}"))
    n = _differing(a["id"], b["id"])
    if n <= 2:
        reasons.append(_reason("uscc_near", f"the USCCs differ in {n} characters (a typing error?)"))
    return _pair("enterprise", a, b, reasons)


_SUBJECT_FIELDS = {
    "person": ("id", "name", "region_code", "id_15"),
    "enterprise": ("id", "name", "address", "region_code", "established_on", "status"),
}


def _pair(kind: str, a: dict[str, Any], b: dict[str, Any], reasons: list[dict[str, Any]]) -> dict[str, Any]:
    a, b = sorted((a, b), key=lambda r: r["id"])
    subjects = []
    for r in (a, b):
        s = {k: r.get(k) for k in _SUBJECT_FIELDS[kind]}
        if kind == "person":
            s["birth_date"] = dt.date(int(r["birth"][:4]), int(r["birth"][4:6]), int(r["birth"][6:]))
        subjects.append(s)
    return {"kind": kind, "pair_key": pair_key(a["id"], b["id"]), "score": _total(reasons),
            "subjects": subjects, "reasons": reasons}


def pairs_of(groups: list[list[dict[str, Any]]], kind: str, judged: set[str], max_pairs: int
             ) -> tuple[list[dict[str, Any]], bool]:
    """The scored pairs of each group of candidates, without the judged ones; at most `max_pairs`
    (True when more were left out)."""
    score = person_pair if kind == "person" else enterprise_pair
    out: list[dict[str, Any]] = []
    for members in groups:
        for a, b in combinations(members, 2):
            if a["id"] == b["id"] or pair_key(a["id"], b["id"]) in judged:
                continue
            if len(out) >= max_pairs:
                return out, True
            out.append(score(a, b))
    return out, False


def _grouped(rows: list[dict[str, Any]], key: tuple[str, str]) -> list[list[dict[str, Any]]]:
    groups: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r[key[0]], r[key[1]]), []).append(r)
    return list(groups.values())


@dataclass
class Duplicates:
    region: dict[str, Any]
    pairs: list[dict[str, Any]]  # every pair found, best first
    truncated: bool  # more groups or pairs than the limits allowed


async def _region_in_scope(tx: Any, caller: Caller, code: str) -> dict[str, Any]:
    region = await rows_async(tx, "regions/links_region", code=code)
    if not region:
        raise not_found("region", "region", code)
    caller.check_region([code, *region[0]["ancestors"]], f"region {code}", "region")
    return region[0]


async def duplicates(graph: Graph, caller: Caller, region: str, kinds: list[str], max_groups: int,
                     max_pairs: int) -> Duplicates:
    """The scored candidate pairs of the region (and sub-regions) for the kinds asked, best first:
    at most `max_groups` groups of each kind and `max_pairs` pairs in all. 404 for an unknown region,
    403 outside the key's region."""

    async def work(tx: Any) -> Duplicates:
        found = await _region_in_scope(tx, caller, region)
        judged = set((await rows_async(tx, "identity/judged_pairs"))[0]["pair_keys"])
        pairs: list[dict[str, Any]] = []
        truncated = False
        for kind in kinds:
            rows = await rows_async(tx, f"identity/{kind}_candidates", region=region, max_groups=max_groups + 1)
            groups = _grouped(rows, ("name_key", "birth") if kind == "person" else ("name_key", "address_key"))
            if len(groups) > max_groups:
                groups, truncated = groups[:max_groups], True
            some, cut = pairs_of(groups, kind, judged, max_pairs - len(pairs))
            pairs += some
            truncated = truncated or cut
        pairs.sort(key=lambda p: (-p["score"], p["kind"], p["pair_key"]))
        return Duplicates({"code": found["code"], "name": found["name"], "level": found.get("level")}, pairs,
                          truncated)

    return await graph.read_tx(work)
