"""One identity per subject (issue 17 point 4; docs/search.md, "Identity").

`duplicates` finds candidate pairs: persons with the same name and birth date under different ids,
enterprises with the same name and address under different USCCs, each scored with its reasons.
`resolutions` keeps an admin's judgement of a pair: "different" takes the pair off the list, "same"
merges one subject into the other (its facts move to the canonical subject, reads of its id are
redirected, liabilities are recomputed), and either can be undone exactly.
"""

from __future__ import annotations

from graph_service.errors import ServiceError


class InvalidJudgement(ServiceError, ValueError):
    """A judgement the request cannot make (the API answers 422 naming `field`)."""

    status, code = 422, "invalid_judgement"

    def __init__(self, field: str, message: str):
        super().__init__(message, field=field)


class JudgementConflict(ServiceError):
    """A judgement that contradicts or repeats one in force, or an undo that is not possible (409)."""

    status, code = 409, "judgement_conflict"

    def __init__(self, message: str, field: str | None = None, code: str | None = None):
        super().__init__(message, field=field, code=code)
