"""Warming up after a start, before /readyz says ready (CREDIT_GRAPH_WARM_UP_S, 0: off).

A Neo4j just started has planned none of our statements and runs its own code interpreted until
its JIT has compiled the hot paths; a worker just started has a cold driver pool. The first
requests then took seconds (a depth-2 network: 4.5 s, the next ones 0.7 s), and a benchmark
started on a fresh server answered networks at a median of 10 s for minutes. So each worker first
reads what the hot endpoints read, on subjects of the graph, through the same functions: the
check statement of single and batch checks, subject resolution and region scopes, network levels
and flags, shareholder trees up and down, searches by name. It repeats that for `warm_up_rounds`
rounds or until `warm_up_s` has passed. Reads only: nothing is written, no check is stored, no audit entry made.

Requests are served meanwhile; only /readyz answers 503 ("warming up"), so that a load balancer
sends traffic to a warm instance. A failure (Neo4j away) ends the warm-up: readiness then depends
on Neo4j and the schema alone, as without it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from graph_service import credit, search
from graph_service.access.caller import Caller
from graph_service.analysis import network as net
from graph_service.analysis.ownership import OwnershipCaps, shareholders
from graph_service.domain.catalogue import catalogue
from graph_service.domain.vocabulary import RELATIONS, SUBJECT_KINDS
from graph_service.runner import Graph, rows_async
from graph_service.settings import ServiceSettings
from graph_service.subjects import resolve

log = logging.getLogger(__name__)
SEARCHES = 10  # names searched per round
_WARM_CALLER = Caller(key_id=None, role="admin")


@dataclass
class WarmUp:
    done: bool = False
    rounds: int = 0
    reads: int = 0
    seconds: float = 0.0
    error: str | None = None
    subjects: dict[str, int] = field(default_factory=dict)


async def warm_up(graph: Graph, settings: ServiceSettings, state: WarmUp) -> None:
    """Fill `state` as the rounds go; `state.done` at the end, whatever happened."""
    started = time.monotonic()

    def out_of_time() -> bool:
        return time.monotonic() - started > settings.warm_up_s

    try:
        if settings.warm_up_s <= 0:
            return
        rows = await graph.read("subjects/warm_up", n=settings.warm_up_subjects)
        subjects = [(r["kind"], r["id"]) for r in rows]
        names = [r["name"] for r in rows if r.get("name")][:SEARCHES]
        state.subjects = {k: sum(1 for s in subjects if s[0] == k) for k in SUBJECT_KINDS}
        if not subjects:
            return
        today = dt.date.today()
        actions = sorted(catalogue().actions)
        ids = [i for _, i in subjects]
        usccs = [i for k, i in subjects if k == "enterprise"]
        caps = OwnershipCaps.from_settings(settings)
        for _ in range(settings.warm_up_rounds):
            if out_of_time():
                break
            # Checks: in chunks of the batch endpoint's size, each subject with every action.
            checks = [(i, a, today) for i in ids for a in actions]
            for k in range(0, len(checks), settings.batch_chunk):
                await graph.read_auto(credit.check_batch, checks[k:k + settings.batch_chunk])
                state.reads += 1
            await graph.read("checks/subject_regions", ids=ids)
            state.reads += 1
            for kind, i in subjects:
                if out_of_time():
                    break
                await graph.read_tx(_network, kind, i, today, settings, net.beside(graph))
                state.reads += 1
            for u in usccs:
                if out_of_time():
                    break
                for direction in ("up", "down"):
                    await graph.read_tx(shareholders, u, direction=direction, as_of=today, caps=caps)
                    state.reads += 1
            # Searches by name and by the start of a USCC (not audited: nothing is answered).
            for text in names + [u[:8] for u in usccs[:1]]:
                if out_of_time():
                    break
                await search.find(graph, _WARM_CALLER, text, None, None, 0, settings.search_page_size, settings)
                state.reads += 1
            state.rounds += 1
    except Exception as exc:  # Neo4j away or a read failing: the service works unwarmed
        state.error = f"{type(exc).__name__}: {exc}"
        log.warning("warm-up stopped: %s", state.error)
    finally:
        state.seconds = round(time.monotonic() - started, 2)
        state.done = True
        if state.error is None and state.reads:
            log.info("warmed up: %s rounds, %s reads in %.1f s", state.rounds, state.reads, state.seconds)


async def _network(tx, kind: str, id_: str, as_of: dt.date, settings: ServiceSettings, aside: net.Aside) -> None:
    # With the reads beside the transaction, as requests make them: their connections opened too.
    subject = await resolve(tx, id_, kind)
    await net.read_network(tx, subject, 2, list(RELATIONS), as_of, False, settings.network_page_size, settings,
                           aside=aside)
    await rows_async(tx, "keys/get", key_id="-")  # every request's key lookup (a key id matching none)
