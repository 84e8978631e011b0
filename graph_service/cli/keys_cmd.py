"""`credit-graph keys create | list | revoke`: API keys (hashed at rest, shown once)."""

from __future__ import annotations

import typer

from graph_service import db
from graph_service.access import keys
from graph_service.cli import app, console

keys_app = typer.Typer(help="Make, list and revoke API keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    role: str = typer.Option(..., help="public | department | investigator | admin"),
    region: str | None = typer.Option(None, help="6-digit region code: the key then sees only this region "
                                                 "and its sub-regions (required for department)"),
    label: str | None = typer.Option(None, help="who or what the key is for"),
) -> None:
    """Make a key and print it once on stdout; only its salted hash is stored."""
    try:
        keys.check_request(role, region)
    except keys.KeyRequestError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    with db.driver() as drv:
        database = db.neo4j_settings().database
        db.apply_schema(drv, database)
        if region is not None:
            name = keys.region_known(drv, region, database)
            if name is None:
                console.print(f"[yellow]warning:[/yellow] region {region} is not in the graph yet; "
                              "the key will only match subjects registered under that code")
        key_id, key = keys.create(drv, role, region, label, database)
    console.print(f"key {key_id} ({role}{', region ' + region if region else ''}) created; "
                  "it is shown once, store it now:")
    typer.echo(key)


@keys_app.command("list")
def keys_list() -> None:
    """Key ids, roles, regions and whether revoked (never the keys)."""
    with db.driver() as drv:
        for k in keys.list_keys(drv, db.neo4j_settings().database):
            state = "revoked" if k["revoked"] else "active"
            typer.echo(f"{k['key_id']}\t{k['role']}\t{k['region_code'] or '-'}\t{state}\t{k['label'] or ''}")


@keys_app.command("revoke")
def keys_revoke(key_id: str) -> None:
    """Revoke a key (effective within CREDIT_GRAPH_API_KEY_CACHE_S on running services)."""
    with db.driver() as drv:
        if not keys.revoke(drv, key_id, db.neo4j_settings().database):
            console.print(f"[red]error:[/red] no key {key_id}")
            raise typer.Exit(1)
    console.print(f"key {key_id} revoked")
