"""Masking of person-level data for the public role (policy items 14 and 21; issue 4 item 8).

Person ids keep their first and last four characters (`4310**********0135`): enough to tell two
people apart on a published list, not enough to identify one. Names keep their first and last
character (`王*国`), the usual form of Chinese public notices.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel

from graph_service.api.models.common import PersonRef, SubjectRef

T = TypeVar("T")


def mask_person_id(person_id: str | None) -> str | None:
    if not person_id:
        return person_id
    n = len(person_id)
    keep = 4 if n >= 12 else 1 if n >= 3 else 0
    if keep == 0:
        return "*" * n
    return person_id[:keep] + "*" * (n - 2 * keep) + person_id[-keep:]


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
