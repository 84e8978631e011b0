"""An analysis run for a caller: the enterprise or region asked held to the key's scope first,
then every node of the answer outside the key's region found (issue 15 item 7), in one read
transaction with the read timeout."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from graph_service.access.caller import Caller
from graph_service.analysis.regions import region_in_scope
from graph_service.runner import Graph
from graph_service.subjects import outside_scope, resolve

Key = tuple[str, str]


async def for_enterprise(graph: Graph, caller: Caller, uscc: str,
                         compute: Callable[[Any, str], Awaitable[dict[str, Any]]],
                         subjects: Callable[[dict[str, Any]], Iterable[Key]]) -> tuple[dict[str, Any], set[Key]]:
    """`compute(tx, uscc)` and the nodes to mask: persons for the public role, and every node
    outside a key's region."""
    async def work(tx: Any) -> tuple[dict[str, Any], set[Key]]:
        await resolve(tx, uscc, "enterprise", "uscc", caller=caller)
        answer = await compute(tx, uscc)
        found = set(subjects(answer))
        hidden = {k for k in found if k[0] == "person"} if not caller.sees_persons else set()
        return answer, hidden | await outside_scope(tx, caller, found)

    return await graph.read_tx(work)


async def for_region(graph: Graph, caller: Caller, region: str, compute: Callable[[Any], Awaitable[dict[str, Any]]],
                     subjects: Callable[[dict[str, Any]], Iterable[Key]]) -> tuple[dict[str, Any], frozenset[Key]]:
    """`compute(tx)` for a region in the key's scope, and the nodes outside the key's region."""
    async def work(tx: Any) -> tuple[dict[str, Any], frozenset[Key]]:
        await region_in_scope(tx, caller, region, "region")
        out = await compute(tx)
        return out, await outside_scope(tx, caller, subjects(out))

    return await graph.read_tx(work)
