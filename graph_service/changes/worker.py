"""The alerter and the webhook deliverer running in the background of the service (app lifespan)
and once from the command line (`credit-graph watch process`): docs/changes.md, Watches."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import neo4j

from graph_service import runner
from graph_service.changes import webhooks
from graph_service.changes.alerter import step_plan
from graph_service.changes.sweep import sweep_async
from graph_service.cypher import query
from graph_service.runner import Graph
from graph_service.settings import ServiceSettings

log = logging.getLogger(__name__)


def policy(settings: ServiceSettings) -> webhooks.Policy:
    return webhooks.Policy(settings.webhook_attempts, settings.webhook_backoff_s, settings.webhook_timeout_s,
                           settings.webhook_max_failures)


def _done_params(row: dict[str, Any], out: webhooks.Outcome, settings: ServiceSettings) -> dict[str, Any]:
    return {"alert_id": row["alert"]["alert_id"], "outcome": out.outcome, "status_code": out.status_code,
            "error": out.error, "ms": out.ms, "next_attempt_at": out.next_attempt_at,
            "max_failures": settings.webhook_max_failures}


# --- in the service ----------------------------------------------------------------------------

async def alert_once(graph: Graph, settings: ServiceSettings) -> dict[str, int]:
    return await graph.write_plan(lambda: step_plan(settings.alerts_batch, settings.watch_max_nodes))


async def deliver_once(graph: Graph, settings: ServiceSettings) -> int:
    """Claims the due alerts and delivers them, at most `webhook_concurrency` at once."""
    rows = await graph.write("watches/claim_deliveries", limit=settings.webhook_batch,
                             claim_s=settings.webhook_timeout_s * 2 + 5)
    if not rows:
        return 0
    gate = asyncio.Semaphore(settings.webhook_concurrency)
    pol = policy(settings)

    async def one(row: dict[str, Any]) -> None:
        async with gate:
            out = await asyncio.to_thread(webhooks.deliver, row, pol)
        await graph.write("watches/delivery_done", **_done_params(row, out, settings))

    await asyncio.gather(*(one(r) for r in rows))
    return len(rows)


async def _loop(name: str, work: Callable[[], Any], busy: Callable[[Any], bool], poll_s: float,
                retry_s: float) -> None:
    while True:
        try:
            result = await work()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # Neo4j away: the cursor stays where it was; try again later
            log.warning("%s: %s; retrying in %ss", name, exc, retry_s)
            await asyncio.sleep(retry_s)
            continue
        if not busy(result):
            await asyncio.sleep(poll_s)


def start(graph: Graph, settings: ServiceSettings) -> list[asyncio.Task]:
    """The background tasks of the service: the daily sweep (days missed first), the alerter and
    the deliverer (none when CREDIT_GRAPH_ALERTS_IN_BACKGROUND is false)."""
    if not settings.alerts_in_background:
        return []
    return [
        asyncio.create_task(_loop("sweep", lambda: sweep_async(graph), lambda done: False,
                                  settings.sweep_check_s, settings.retry_after_s)),
        asyncio.create_task(_loop("alerter", lambda: alert_once(graph, settings), lambda r: r["entries"] > 0,
                                  settings.alerts_poll_s, settings.retry_after_s)),
        asyncio.create_task(_loop("webhooks", lambda: deliver_once(graph, settings), lambda n: n > 0,
                                  settings.alerts_poll_s, settings.retry_after_s)),
    ]


async def stop(tasks: list[asyncio.Task]) -> None:
    for t in tasks:
        t.cancel()
    for t in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await t


# --- from the command line -----------------------------------------------------------------------

def process(driver: neo4j.Driver, settings: ServiceSettings, database: str | None = None) -> dict[str, int]:
    """Turns every entry of the log not yet processed into alerts; then one round of deliveries."""
    total = {"entries": 0, "alerts": 0, "delivered": 0}
    while True:
        out = runner.write(driver, lambda: step_plan(settings.alerts_batch, settings.watch_max_nodes), database)
        total["entries"] += out["entries"]
        total["alerts"] += out["alerts"]
        if not out["entries"]:
            break
    records, _, _ = driver.execute_query(query("watches/claim_deliveries"), limit=settings.webhook_batch,
                                         claim_s=settings.webhook_timeout_s * 2 + 5, database_=database)
    pol = policy(settings)
    for r in records:
        row = dict(r)
        sent = webhooks.deliver(row, pol)
        driver.execute_query(query("watches/delivery_done"), _done_params(row, sent, settings), database_=database)
        total["delivered"] += sent.outcome == "delivered"
    return total
