"""Access to the Cypher statements in the top-level cypher/ folder.

Every statement the project runs lives there as a .cypher file with $parameters. Code refers to a
statement by its path without extension, e.g. ``query("loading/enterprises")``. Labels and
relationship types are never built from input: where a caller chooses between kinds, it picks one
of the fixed names below and a statement file written for it.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files
from pathlib import Path

from graph_service.errors import ServiceError

CYPHER_DIR = Path(str(files("graph_service.statements")))

# The fixed vocabulary of the graph (docs/model.md).
LABELS = frozenset(
    {"Enterprise", "Person", "Region", "Authority", "Record", "Load", "Liability", "Notification", "Release",
     "ApiKey", "AuditEntry", "Event", "Objection", "Check", "Resolution",
     # the change log, watches and the sweep (docs/changes.md)
     "Change", "ChangeCounter", "Watch", "Alert", "AlerterCursor", "Delivery", "SweepState"}
)
REL_TYPES = frozenset(
    {
        "PART_OF", "REGISTERED_IN", "IN_REGION", "HOLDS_ROLE", "HOLDS_SHARES", "CONCERNS",
        "NAMES_RESPONSIBLE", "DECIDED_BY", "GIVES_RISE_TO", "BINDS", "REACHES_REGION", "NOTIFIES",
        "RELEASED_FROM", "HAS_EVENT", "OBJECTS_TO", "MERGED_INTO", "ABOUT",
    }
)


class UnknownStatement(ServiceError, KeyError):
    pass


@cache
def query(name: str) -> str:
    path = (CYPHER_DIR / f"{name}.cypher").resolve()
    if CYPHER_DIR.resolve() not in path.parents or not path.is_file():
        raise UnknownStatement(name)
    return path.read_text(encoding="utf-8")


def statements(name: str) -> list[str]:
    """The statements of a multi-statement file (separated by ';' at the end of a line)."""
    text = "\n".join(
        line for line in query(name).splitlines() if not line.strip().startswith("//")
    )
    return [s.strip() for s in re.split(r";[ \t]*(?:\n|$)", text) if s.strip()]
