"""`credit-graph audit`: the audit log of person-level reads, as GET /v1/audit gives it."""

from __future__ import annotations

import json

import typer

from graph_service import db
from graph_service.audit_log import AuditQuery, AuditQueryError
from graph_service.cli import app, console
from graph_service.cypher import query
from graph_service.settings import service_settings

COLUMNS = ("at", "key_id", "role", "subject_kind", "subject_id", "endpoint", "as_of", "purpose")


def _cell(value) -> str:
    if value is None:
        return "-"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # One entry, one line: a purpose is free text.
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


@app.command("audit")
def audit(
    key: str | None = typer.Option(None, "--key", help="entries of this API key id (`keys list`)"),
    subject: str | None = typer.Option(None, "--subject", help="entries about this person, enterprise or record id"),
    kind: str | None = typer.Option(None, "--kind", help="subject kind: enterprise | person | record"),
    purpose: str | None = typer.Option(None, "--purpose", help="entries whose purpose contains this text"),
    since: str | None = typer.Option(None, "--since", help="from this ISO day or date-time on (no offset: UTC+8)"),
    until: str | None = typer.Option(None, "--until", help="before this ISO day (up to its end) or date-time"),
    limit: int | None = typer.Option(None, "--limit", help="entries (default CREDIT_GRAPH_AUDIT_PAGE_SIZE, at most "
                                                          "CREDIT_GRAPH_AUDIT_MAX_PAGE_SIZE)"),
    cursor: str | None = typer.Option(None, "--cursor", help="the next page, as printed after the previous one"),
    as_json: bool = typer.Option(False, "--json", help="one JSON object: items and next_cursor"),
) -> None:
    """Print audit entries, newest first: one tab-separated line each (at, key, role, subject kind
    and id, endpoint, day asked, purpose), or JSON."""
    settings = service_settings()
    try:
        q = AuditQuery.of(key_id=key, subject_id=subject, subject_kind=kind, purpose=purpose, since=since,
                          until=until, limit=limit, cursor=cursor, default_limit=settings.audit_page_size,
                          max_limit=settings.audit_max_page_size)
    except AuditQueryError as exc:
        option = {"key_id": "--key", "subject_id": "--subject", "subject_kind": "--kind"}.get(exc.field,
                                                                                              f"--{exc.field}")
        console.print(f"[red]error:[/red] {option}: {exc.message}", soft_wrap=True)
        raise typer.Exit(2) from None
    with db.driver() as drv:
        records, _, _ = drv.execute_query(query("audit/search"), q.params(), database_=db.neo4j_settings().database)
    entries, next_cursor = q.page([db.native(r.data()) for r in records])
    if as_json:
        typer.echo(json.dumps({"items": entries, "next_cursor": next_cursor}, ensure_ascii=False, default=str))
        return
    for e in entries:
        typer.echo("\t".join(_cell(e.get(c)) for c in COLUMNS))
    if next_cursor:
        console.print(f"more entries: --cursor {next_cursor}", soft_wrap=True)
