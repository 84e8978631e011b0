"""`credit-graph changes`: the change feed, as GET /v1/changes gives it (docs/changes.md)."""

from __future__ import annotations

import json
import time

import typer

from graph_service import db
from graph_service.changes.feed import FeedQuery, FeedQueryError
from graph_service.cli import app, console
from graph_service.cursors import InvalidCursor
from graph_service.cypher import query
from graph_service.settings import service_settings


def _line(e: dict) -> str:
    """One entry, one line: seq, set, time, kind, key, actor, what changed."""
    change = {k: v for k, v in (("before", e.get("before")), ("after", e.get("after"))) if v is not None}
    text = json.dumps(change, ensure_ascii=False, separators=(",", ":"))
    return "\t".join(str(x) for x in (e["seq"], e["set"], e["at"], e["kind"], e["key"], e["actor"], text))


@app.command("changes")
def changes(
    since: int | None = typer.Option(None, "--since", help="entries after this sequence number (default: 0)"),
    cursor: str | None = typer.Option(None, "--cursor", help="go on from a printed cursor"),
    region: str | None = typer.Option(None, "--region", help="entries in this region (GB/T 2260) or below"),
    subject: str | None = typer.Option(None, "--subject", help="entries about this USCC or person id"),
    kinds: str | None = typer.Option(None, "--kinds", help="kinds or families, comma-separated (record,decision)"),
    limit: int | None = typer.Option(None, "--limit", help="entries per page (default CREDIT_GRAPH_CHANGES_PAGE_SIZE)"),
    follow: bool = typer.Option(False, "--follow", help="keep reading: print new entries as they commit"),
    interval: float = typer.Option(2.0, "--interval", help="seconds between reads with --follow"),
    as_json: bool = typer.Option(False, "--json", help="one JSON object per page: items, next_cursor, caught_up"),
) -> None:
    """Print change-log entries in order: one tab-separated line each (seq, change set, time, kind,
    key, actor, before and after), then the cursor to go on from."""
    settings = service_settings()
    try:
        q = FeedQuery.of(since=since, cursor=cursor, limit=limit, region=region, subject=subject, kinds=kinds,
                         default_limit=settings.changes_page_size, max_limit=settings.changes_max_page_size)
    except (FeedQueryError, InvalidCursor) as exc:
        console.print(f"[red]error:[/red] --{exc.field}: {str(exc).split(': ', 1)[-1]}", soft_wrap=True)
        raise typer.Exit(2) from None
    with db.driver() as drv:
        while True:
            name, params = q.statement(settings.changes_scan_limit)
            records, _, _ = drv.execute_query(query(name), params, database_=db.neo4j_settings().database)
            answer = q.answer(db.native(records[0].data()))
            if as_json:
                typer.echo(json.dumps(answer, ensure_ascii=False, default=str))
            else:
                for e in answer["items"]:
                    typer.echo(_line(e))
            q = FeedQuery(answer["last_seq"], q.limit, q.region, q.subject, q.kinds)
            if answer["caught_up"]:
                if not follow:
                    break
                time.sleep(interval)
        if not as_json:
            console.print(f"caught up at {answer['last_seq']}: --since {answer['last_seq']}", soft_wrap=True)
