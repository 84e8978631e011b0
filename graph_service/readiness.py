"""What readiness needs of Neo4j: an answer, and the schema applied once per process."""

from __future__ import annotations

from graph_service.db import apply_schema_async
from graph_service.runner import Graph


async def ping(graph: Graph) -> None:
    await graph.read("admin/ping")


async def ensure_schema(graph: Graph) -> None:
    """Apply the schema once; the app's start-up keeps retrying it while Neo4j is away."""
    if graph.schema_applied:
        return
    async with graph.schema_lock:
        if not graph.schema_applied:
            await apply_schema_async(graph.driver, graph.database)
            graph.schema_applied = True
