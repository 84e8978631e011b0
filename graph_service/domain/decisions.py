"""The decision a subject gets for an action from the liabilities binding it: the rule the checks
answer with (graph_service.credit.decide explains it), kept here, below the rules engine, so the
change log can say whose decisions a write changed (docs/changes.md, decision.changed)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from graph_service.domain.catalogue import Catalogue


def outcome(action: str, liabilities: Iterable[Mapping[str, Any]], cat: Catalogue) -> dict[str, Any]:
    """{"decision": restricted | favoured | clear, "measures": codes}: restricted when a measure of
    a liability not suspended restricts the action, else favoured when one favours it, else clear."""
    effects = {code: m.effect for code, m in cat.measures.items() if action in m.actions}
    restrict: set[str] = set()
    favour: set[str] = set()
    for lb in liabilities:
        if lb.get("suspended"):
            continue
        for code in lb["measures"]:
            if effects.get(code) == "restrict":
                restrict.add(code)
            elif effects.get(code) == "favour":
                favour.add(code)
    if restrict:
        return {"decision": "restricted", "measures": cat.order_measures(restrict)}
    if favour:
        return {"decision": "favoured", "measures": cat.order_measures(favour)}
    return {"decision": "clear", "measures": []}


def outcomes(liabilities: Sequence[Mapping[str, Any]], cat: Catalogue) -> dict[str, dict[str, Any]]:
    """`outcome` for every action of the catalogue."""
    return {action: outcome(action, liabilities, cat) for action in cat.actions}
