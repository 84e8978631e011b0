"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from graph_service.api.deps import get_graph
from graph_service.api.errors import error_response, responses, unavailable
from graph_service.api.json_body import JsonRoute
from graph_service.readiness import ensure_schema, ping
from graph_service.runner import Graph

router = APIRouter(tags=["health"], route_class=JsonRoute)


class Health(BaseModel):
    status: str = Field(examples=["ok"])


class Ready(BaseModel):
    status: str = Field(examples=["ready"])
    neo4j: str = Field(examples=["reachable"])
    schema_applied: bool = Field(examples=[True], description="constraints and indexes of cypher/admin/schema.cypher "
                                                              "are in place")
    warmed_up: bool = Field(examples=[True], description="the start-up warm-up has run (false when it is off: "
                                                         "CREDIT_GRAPH_WARM_UP_S=0)")


@router.get("/healthz", response_model=Health, summary="Liveness",
            description="The process answers. Says nothing about Neo4j: use `/readyz` for that.")
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Ready, summary="Readiness",
            description="Ready when Neo4j answers, the schema (constraints and indexes) is applied, the checks "
                        "journalled by a worker gone before storing them are stored (docs/api.md, durability of a "
                        "check) and the start-up warm-up is over (at most `CREDIT_GRAPH_WARM_UP_S` seconds of the "
                        "hot reads, so that the "
                        "first requests do not wait for Neo4j to plan and compile them). 503 with `Retry-After` "
                        "otherwise; readiness comes back by itself when Neo4j does. Requests are answered during "
                        "the warm-up.",
            responses=responses(503))
async def readyz(request: Request, graph: Graph = Depends(get_graph)) -> Ready | JSONResponse:
    try:
        await ping(graph)
        await ensure_schema(graph)
        if (check_log := getattr(request.app.state, "check_log", None)) is not None:
            await check_log.replay()  # at most once; the start-up task may be at it already
    except Exception as exc:  # any failure here means "not ready", whatever its kind
        return unavailable(request, f"not ready: {type(exc).__name__}: {exc}")
    warm = request.app.state.warm_up
    if not warm.done:
        return error_response(503, "warming_up", f"not ready: warming up ({warm.rounds} rounds, {warm.reads} reads "
                                                  "so far)", headers={"Retry-After": "1"})
    return Ready(status="ready", neo4j="reachable", schema_applied=True, warmed_up=warm.reads > 0)
