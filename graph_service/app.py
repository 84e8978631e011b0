"""The FastAPI application: `create_app()` is the factory (`uvicorn --factory graph_service.app:create_app`).

The lifespan creates one async Neo4j driver for the process, applies the schema and then warms
up (graph_service/warm_up.py). Neo4j may be away when the service starts or later: the driver
is created anyway (it connects lazily), the schema is retried in the background until it
succeeds, and requests meanwhile answer 503 with `Retry-After`, so the service recovers without
a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import logging
import pkgutil
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from graph_service import db, workbench
from graph_service.api import errors, openapi
from graph_service.api import routers as routers_pkg
from graph_service.api.deps import KeyCache
from graph_service.api.request_limits import RequestLimits
from graph_service.changes import worker as changes_worker
from graph_service.checks.log import CheckLog, check_log_of
from graph_service.domain.catalogue import catalogue
from graph_service.readiness import ensure_schema
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings, neo4j_settings, service_settings
from graph_service.warm_up import WarmUp, warm_up

DOCS_ASSETS_URL = "/static/docs"  # Swagger UI and ReDoc files (fastapi-offline)

log = logging.getLogger(__name__)

DESCRIPTION = """
Joint reward and punishment credit graph (Chenzhou policy 郴政发〔2017〕11号) on Neo4j.

**Authentication**: every `/v1` endpoint needs an API key in the `X-API-Key` header
(or `Authorization: ApiKey <key>`), made with `credit-graph keys create --role ROLE [--region CODE]`.
Roles: `public` (enterprise-level answers, person ids and names masked), `department` (its region
and sub-regions), `investigator` (every read; person-level reads audited with the `X-Purpose` stated),
`admin`.

**Errors** have one body everywhere: `{"error": {"code", "message", "field"}}`. 422 names the invalid
field and why (for a USCC, the expected check character); 404 an unknown subject; 503 with
`Retry-After` while Neo4j is unreachable.

**Dates**: roles and holdings hold on the half-open interval [start_on, end_on).
"""

TAGS = [
    {"name": "enterprises", "description": "Enterprises by Unified Social Credit Code"},
    {"name": "persons", "description": "Natural persons by identity document number (person-level: audited)"},
    {"name": "health", "description": "Liveness and readiness probes"},
    {"name": "workflow", "description": "Initiate, push and respond, objections, repair, history (issue 5)"},
    {"name": "lists", "description": "Published black and red lists; green-channel eligibility"},
    {"name": "statistics", "description": "Statistics of the loop; 7-day publication"},
    {"name": "related parties", "description": "Networks within k hops and surrounding risk (person-level: audited)"},
    {"name": "paths", "description": "k shortest connecting paths, each edge typed and dated"},
    {"name": "ownership", "description": "Penetrated shareholding trees, beneficial owners, actual controller"},
    {"name": "credit", "description": "Credit of a subject, reach of a record, releases, rules, measures and actions "
                                      "(liability propagation, issue 3)"},
    {"name": "checks", "description": "Screening a subject before a decision, one or a batch of up to 1,000"},
    {"name": "regions", "description": "Cross-region view: records reaching a region and records it sends out"},
    {"name": "analytics", "description": "Related-party groups and circular shareholding (networkx on subgraphs)"},
    {"name": "match", "description": "Screening by example: candidates for what is known of a subject, scored and "
                                     "explained, one query or a batch of up to 1,000 (docs/search.md)"},
    {"name": "session", "description": "The calling key's role and region; the names of the service's words"},
]


async def _schema_until_applied(graph: Graph, settings: ServiceSettings, warm: WarmUp, check_log: CheckLog) -> None:
    while not graph.schema_applied:
        try:
            await ensure_schema(graph)
            log.info("schema applied")
        except Exception as exc:  # Neo4j away or starting: try again later
            log.warning("schema not applied yet (%s); retrying in %ss", exc, settings.retry_after_s)
            await asyncio.sleep(settings.retry_after_s)
    # Checks answered by workers that died before storing them (checks/journal.py), before the
    # warm-up: /readyz says ready once they are in Neo4j.
    while True:
        try:
            if n := await check_log.replay():
                log.warning("%d journalled checks of an earlier worker replayed into Neo4j", n)
            break
        except Exception as exc:  # Neo4j away again: the journal stays until it is stored
            log.warning("journalled checks not replayed yet (%s); retrying in %ss", exc, settings.retry_after_s)
            await asyncio.sleep(settings.retry_after_s)
    await warm_up(graph, settings, warm)


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or service_settings()
    # A bad actions/measures/rules YAML stops the start here, with a CatalogueError naming the file,
    # the entry and the field, instead of failing on the first request that needs it.
    catalogue()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        neo = neo4j_settings()
        conn = db.connection(neo)
        # Notifications off: on a graph without some data yet, the server warns of every unknown
        # property key in the read statements, flooding the log.
        driver = db.async_driver(conn, max_transaction_retry_time=settings.transaction_retry_s,
                                 notifications_min_severity="OFF")
        graph = Graph(driver=driver, database=conn.database, read_timeout_s=neo.read_timeout_s)
        app.state.graph = graph
        app.state.key_cache = KeyCache(settings.api_key_cache_s)
        app.state.warm_up = WarmUp(done=settings.warm_up_s <= 0)
        app.state.check_log = check_log_of(graph, settings)
        task = asyncio.create_task(_schema_until_applied(graph, settings, app.state.warm_up, app.state.check_log))
        # Watches' alerts and webhooks follow the change log (docs/changes.md).
        background = changes_worker.start(graph, settings)
        thresholds = gc.get_threshold()
        if settings.gc_freeze:
            gc.collect()
            gc.freeze()
            gc.set_threshold(*settings.gc_thresholds)
        try:
            yield
        finally:
            if settings.gc_freeze:
                gc.set_threshold(*thresholds)
                gc.unfreeze()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await changes_worker.stop(background)
            # The check reader's waiting checks and tasks belong to this event loop.
            app.state.check_reader = None
            await app.state.check_log.close()  # answered checks still in the write-behind log
            app.state.check_log = None
            await driver.close()

    # /docs and /redoc load Swagger UI and ReDoc from the installed fastapi-offline package, not a
    # CDN: government networks are isolated.
    app: FastAPI = FastAPIOffline(title="credit-graph", version="0.1.0", description=DESCRIPTION, openapi_tags=TAGS,
                                  lifespan=lifespan, static_url=DOCS_ASSETS_URL)
    app.state.settings = settings
    app.add_middleware(RequestLimits, max_header_bytes=settings.max_header_bytes,
                       max_body_bytes=settings.max_body_bytes)
    errors.install(app)
    openapi.install(app)
    for router in _routers():
        app.include_router(router)
    # The workbench page (GET /, api/routers/workbench.py) loads its own scripts and the libraries
    # scripts/bootstrap installs from npm from here: nothing from another host.
    app.mount(workbench.ASSETS_URL, StaticFiles(directory=workbench.STATIC, check_dir=False), name="workbench")
    return app



def _routers() -> list:
    """The `router` of every module of graph_service/api/routers: a new resource is a new module,
    not an edit of this file. Health first, then by module name (the order of /docs)."""
    names = sorted(m.name for m in pkgutil.iter_modules(routers_pkg.__path__))
    names.sort(key=lambda n: n != "health")
    return [importlib.import_module(f"{routers_pkg.__name__}.{n}").router for n in names]
