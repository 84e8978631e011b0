"""Masking of person-level data for the public role (policy items 14 and 21; issue 4 item 8).

Person ids keep their first and last four characters (`4310**********0135`): enough to tell two
people apart on a published list, not enough to identify one. Names keep their first and last
character (`王*国`), the usual form of Chinese public notices.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from graph_service.access.caller import Caller
from graph_service.api.models.common import PersonRef, SubjectRef
from graph_service.domain.vocabulary import SUBJECT_KINDS

T = TypeVar("T")


def mask_person_id(person_id: str | None) -> str | None:
    if not person_id:
        return person_id
    n = len(person_id)
    keep = 4 if n >= 12 else 1 if n >= 3 else 0
    if keep == 0:
        return "*" * n
    return person_id[:keep] + "*" * (n - 2 * keep) + person_id[-keep:]


def mask_path(items: list[str] | None) -> list[str] | None:
    """A path of `kind:id` steps with the person ids masked."""
    if items is None:
        return None
    return [f"person:{mask_person_id(x[7:])}" if x.startswith("person:") else x for x in items]


def mask_name(name: str | None) -> str | None:
    if not name:
        return name
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_persons(obj: T) -> T:
    """A copy of a response model with every person reference masked, however deeply nested."""
    if isinstance(obj, PersonRef):
        return obj.model_copy(update={"person_id": mask_person_id(obj.person_id), "name": mask_name(obj.name),
                                      "masked": True})
    if isinstance(obj, SubjectRef):
        if obj.kind != "person":
            return obj
        return obj.model_copy(update={"id": mask_person_id(obj.id), "name": mask_name(obj.name), "masked": True})
    if isinstance(obj, BaseModel):
        updates = {name: mask_persons(getattr(obj, name)) for name in type(obj).model_fields}
        return obj.model_copy(update=updates)
    if isinstance(obj, list):
        return [mask_persons(x) for x in obj]  # type: ignore[return-value]
    return obj


def subjects_in(obj: Any, found: set[tuple[str, str]] | None = None) -> set[tuple[str, str]]:
    """The (kind, id) of every subject of an analysis answer (ownership trees, groups, cycles):
    maps with `kind` and `id`, edges' `holder` and `held`, members' `uscc`."""
    found = set() if found is None else found
    if isinstance(obj, list):
        for x in obj:
            subjects_in(x, found)
    elif isinstance(obj, dict):
        if obj.get("kind") in SUBJECT_KINDS and isinstance(obj.get("id"), str):
            found.add((obj["kind"], obj["id"]))
        if obj.get("holder_kind") in SUBJECT_KINDS and isinstance(obj.get("holder"), str):
            found.add((obj["holder_kind"], obj["holder"]))
        if isinstance(obj.get("held"), str):
            found.add(("enterprise", obj["held"]))
        if isinstance(obj.get("uscc"), str):
            found.add(("enterprise", obj["uscc"]))
        for v in obj.values():
            subjects_in(v, found)
    return found


def mask_tree(obj: Any, hidden: set[tuple[str, str]] | frozenset[tuple[str, str]]) -> Any:
    """An analysis answer (plain maps and lists) with the subjects of `hidden` masked wherever
    they appear: every text equal to one of their ids, and the name and `masked` of the maps
    standing for them. Ratios stay: computed on the whole graph, they say nothing of who holds."""
    if not hidden:
        return obj
    ids = {i for _, i in hidden}
    if isinstance(obj, list):
        return [mask_tree(x, hidden) for x in obj]
    if isinstance(obj, str):
        return mask_person_id(obj) if obj in ids else obj
    if not isinstance(obj, dict):
        return obj
    out = {k: mask_tree(v, hidden) for k, v in obj.items()}
    if (obj.get("kind"), obj.get("id")) in hidden or ("enterprise", obj.get("uscc")) in hidden:
        out.update(name=mask_name(obj.get("name")), masked=True)
    return out


def subject_refs(obj: Any, found: dict[tuple[str, str], str | None] | None = None) -> dict[tuple[str, str], str | None]:
    """(kind, id) -> name of every subject a credit answer (plain maps) names: subject maps
    (`kind`, `id`, `name`), person maps (`person_id`, `name`) and `subject_kind`/`subject_id` pairs."""
    found = {} if found is None else found
    if isinstance(obj, list):
        for x in obj:
            subject_refs(x, found)
    elif isinstance(obj, dict):
        if obj.get("kind") in SUBJECT_KINDS and isinstance(obj.get("id"), str):
            found[(obj["kind"], obj["id"])] = found.get((obj["kind"], obj["id"])) or obj.get("name")
        if isinstance(obj.get("person_id"), str):
            found[("person", obj["person_id"])] = found.get(("person", obj["person_id"])) or obj.get("name")
        if obj.get("subject_kind") in SUBJECT_KINDS and isinstance(obj.get("subject_id"), str):
            found.setdefault((obj["subject_kind"], obj["subject_id"]), None)
        for v in obj.values():
            subject_refs(v, found)
    return found


def mask_subjects(obj: Any, hidden: dict[tuple[str, str], str | None]) -> Any:
    """A credit answer (plain maps) with the subjects of `hidden` masked everywhere: their maps
    (id, name, `masked`), and their ids and names inside any text (paths, keys, explanations)."""
    if not hidden:
        return obj
    ids = {i: mask_person_id(i) for _, i in hidden}
    names = {n: mask_name(n) for n in hidden.values() if n and len(n) > 1}

    def text(s: str) -> str:
        for old, new in (*ids.items(), *names.items()):
            if old in s:
                s = s.replace(old, new)
        return s

    def walk(x: Any) -> Any:
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, str):
            return text(x)
        if not isinstance(x, dict):
            return x
        out = {k: walk(v) for k, v in x.items()}
        if (x.get("kind"), x.get("id")) in hidden or ("person", x.get("person_id")) in hidden:
            out["name"] = mask_name(x.get("name"))
            out["masked"] = True
        return out

    return walk(obj)


def person_ids(obj: Any, found: set[str] | None = None) -> set[str]:
    """Every person id an answer carries, in references, paths and keys."""
    found = set() if found is None else found
    if isinstance(obj, dict):
        if obj.get("subject_kind") == "person" and isinstance(obj.get("subject_id"), str):
            found.add(obj["subject_id"])
        if obj.get("kind") == "person" and isinstance(obj.get("id"), str):
            found.add(obj["id"])
        if isinstance(obj.get("person_id"), str):
            found.add(obj["person_id"])
        found.update(x for x in obj.get("responsible_person_ids") or [] if isinstance(x, str))
        for v in obj.values():
            person_ids(v, found)
    elif isinstance(obj, list):
        for v in obj:
            person_ids(v, found)
    elif isinstance(obj, str) and obj.startswith("person:"):
        found.add(obj[len("person:"):])
    return found


def scrub(obj: Any, ids: set[str]) -> Any:
    """Every person id inside every string (liability ids, role keys, paths, explanations) masked."""
    if isinstance(obj, dict):
        return {k: scrub(v, ids) for k, v in obj.items()}
    if isinstance(obj, list):
        return [scrub(v, ids) for v in obj]
    if isinstance(obj, str):
        for pid in ids:
            if pid in obj:
                obj = obj.replace(pid, mask_person_id(pid) or pid)
        return obj
    return obj


def present(model_cls, answer: dict[str, Any], caller: Caller):
    """The answer as its model; for the public role every person id and name masked."""
    if caller.sees_persons:
        return model_cls.model_validate(answer)
    return mask_persons(model_cls.model_validate(scrub(answer, person_ids(answer))))
