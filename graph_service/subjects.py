"""The subject of an investigator endpoint: an enterprise or a person named by one id.

Nothing in the formats keeps an all-digit USCC apart from a citizen ID, so the id is looked up as
both (`kind` narrows it). An id that names nothing is diagnosed: a malformed USCC or citizen ID is
a 422 naming the field and the reason (for a wrong check character, the expected one), a
well-formed one a 404.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph_service.access.caller import Caller
from graph_service.errors import Refused, SubjectMerged
from graph_service.identifiers import (
    IdentifierError,
    normalize_id,
    upgrade_resident_id_15,
    validate_resident_id,
    validate_uscc,
)
from graph_service.runner import Graph, rows_async

MAX_ID_LEN = 40


@dataclass(frozen=True)
class Subject:
    kind: str
    id: str
    name: str | None
    region_code: str | None
    regions: tuple[str, ...] = field(default_factory=tuple)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.id)


def clean_id(raw: str, field_name: str) -> str:
    """The id as subjects are stored under it: normalised, and a first-generation 15-digit citizen
    ID upgraded to its 18-digit form (422 naming the field when it is malformed)."""
    value = normalize_id(raw)
    if len(value) == 15 and value.isdigit():
        try:
            return upgrade_resident_id_15(value)
        except IdentifierError as exc:
            raise Refused(422, "invalid_person_id", f"{field_name} {value!r}: not a valid citizen ID: {exc}",
                          field_name) from None
    if not value:
        raise Refused(422, "invalid_subject_id", f"{field_name}: the identifier is empty", field_name)
    if len(value) > MAX_ID_LEN:
        raise Refused(422, "invalid_subject_id",
                      f"{field_name}: at most {MAX_ID_LEN} characters expected, got {len(value)}", field_name)
    # Printable ASCII (nearly every id) holds no character of category C: no scan needed.
    if value.isascii() and value.isprintable():
        return value
    for pos, c in enumerate(value, 1):
        if unicodedata.category(c).startswith("C"):
            raise Refused(422, "invalid_subject_id",
                          f"{field_name}: control character U+{ord(c):04X} at position {pos}", field_name)
    return value


def diagnose_unknown(value: str, kind: str | None, field_name: str) -> Refused:
    """422 when `value` cannot be the id of the kind asked (or of any kind), else 404."""
    reasons: list[tuple[str, str]] = []
    if len(value) == 18:
        # A citizen ID is digits but for its last character; a USCC seldom is.
        if kind == "enterprise" or (kind is None and not value[:17].isdigit()):
            try:
                validate_uscc(value)
            except IdentifierError as exc:
                return Refused(422, "invalid_uscc", f"{field_name} {value!r}: not a valid USCC: {exc}", field_name)
            return Refused(404, "not_found", f"no {kind or 'enterprise or person'} with id {value}", field_name)
        if kind is None:
            try:
                validate_uscc(value)
            except IdentifierError as exc:
                reasons.append(("invalid_uscc", f"not a valid USCC: {exc}"))
            else:
                return Refused(404, "not_found", f"no enterprise or person with id {value}", field_name)
        if kind in (None, "person"):
            try:
                validate_resident_id(value)
            except IdentifierError as exc:
                reasons.append(("invalid_person_id", f"not a valid citizen ID: {exc}"))
            else:
                return Refused(404, "not_found", f"no {kind or 'enterprise or person'} with id {value}", field_name)
    elif kind == "enterprise":
        reasons.append(("invalid_uscc", "not a valid USCC: 18 characters expected, got " + str(len(value))))
    if reasons:
        code = reasons[0][0] if len(reasons) == 1 else "invalid_subject_id"
        return Refused(422, code, f"{field_name} {value!r}: " + "; ".join(r for _, r in reasons), field_name)
    # Passports and other documents have no checkable form.
    return Refused(404, "not_found", f"no {kind or 'enterprise or person'} with id {value}", field_name)


async def resolve(tx: Any, raw: str, kind: str | None = None, field_name: str = "id",
                  caller: Caller | None = None) -> Subject:
    """The enterprise or person with this id (inside a read transaction).

    With `caller`, a subject the key may not read (a person for the public role, a subject outside
    the key's region) is answered exactly as an id that names nothing: the status and body of an
    unknown id must not tell that it exists (issue 15 item 5)."""
    value = clean_id(raw, field_name)
    if caller is not None and kind == "person" and not caller.sees_persons:
        # Said of the role whatever the id: no lookup, so nothing learned about the id.
        raise Refused(403, "forbidden", f"role {caller.role} may not read persons", field_name)
    rows = await rows_async(tx, "subjects/lookup", id=value, kind=kind)
    if caller is not None:
        rows = [r for r in rows if caller.may_read(r["kind"], r["regions"] or ())]
    if not rows:
        raise diagnose_unknown(value, kind, field_name)
    if len(rows) > 1:
        raise Refused(422, "ambiguous_subject_id",
                      f"{field_name} {value} names both an enterprise and a person: say which with `kind`", "kind")
    r = rows[0]
    if r.get("merged_into"):
        # Merged into another by a "same" judgement: the read is redirected (308) to it.
        raise SubjectMerged(r["kind"], r["id"], r["merged_into"], field_name)
    return Subject(r["kind"], r["id"], r["name"], r["region_code"], tuple(r["regions"] or ()))


async def outside_scope(tx: Any, caller: Caller, keys: Iterable[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    """Of the (kind, id) of an answer's nodes, those outside the key's region: every node of an
    answer is scoped, not only the subject asked (issue 15 item 7). Empty for a key without one."""
    if caller.region_code is None:
        return frozenset()
    keys = set(keys)
    if not keys:
        return frozenset()
    rows = await rows_async(tx, "subjects/outside_scope", scope=caller.region_code,
                         usccs=sorted(i for k, i in keys if k == "enterprise"),
                         person_ids=sorted(i for k, i in keys if k == "person"))
    return frozenset((r["kind"], r["id"]) for r in rows)


async def enterprise(graph: Graph, uscc: str, as_of: dt.date | None) -> dict[str, Any] | None:
    """An enterprise's stored facts (roles and holdings held on `as_of`, all of them without)."""
    return await graph.read_one("subjects/enterprise", uscc=uscc, as_of=as_of, on=as_of or dt.date.today())


async def person(graph: Graph, person_id: str, as_of: dt.date | None) -> dict[str, Any] | None:
    """A person's stored facts, as `enterprise`."""
    return await graph.read_one("subjects/person", person_id=person_id, as_of=as_of, on=as_of or dt.date.today())


async def regions_of(tx: Any, ids: list[str]) -> dict[tuple[str, str], list[str]]:
    """(id, kind) -> the region codes (its region and the ancestors) of the subjects with these ids."""
    rows = await rows_async(tx, "checks/subject_regions", ids=ids)
    return {(r["id"], r["kind"]): r["regions"] for r in rows}
