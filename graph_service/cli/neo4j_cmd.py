"""`credit-graph neo4j install | start | stop | status`."""

from __future__ import annotations

import typer

from graph_service import neo4j_local
from graph_service.cli import app, console

neo4j_app = typer.Typer(help="Install and run the project's local Neo4j 5.26 Community server.", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")


@neo4j_app.command("install")
def neo4j_install() -> None:
    """Resolve the Neo4j server jars from Maven Central into the cache (offline once installed)."""
    lib = neo4j_local.install(echo=console.print)
    console.print(f"Neo4j installed in {lib.parent}")


@neo4j_app.command("start")
def neo4j_start(
    name: str = typer.Option("default", help="instance name (tests use 'test')"),
    port: int | None = typer.Option(None, help="Bolt port; default: the last one, or a free one"),
) -> None:
    """Start the local Neo4j and wait until Bolt answers; prints the URI."""
    st = neo4j_local.start(name, port=port, echo=console.print)
    console.print(f"Neo4j '{name}' is running (pid {st.pid}); logs: {st.log}")
    typer.echo(st.uri)


@neo4j_app.command("stop")
def neo4j_stop(name: str = typer.Option("default")) -> None:
    """Shut the local Neo4j down cleanly."""
    stopped = neo4j_local.stop(name)
    console.print(f"Neo4j '{name}' stopped" if stopped else f"Neo4j '{name}' was not running")


@neo4j_app.command("status")
def neo4j_status(name: str = typer.Option("default")) -> None:
    """Whether the local Neo4j runs, its URI and where its logs are. Exit 1 when it does not run."""
    st = neo4j_local.status(name)
    installed = (neo4j_local.install_dir() / ".complete").exists()
    console.print(f"installed: {'yes' if installed else 'no'} ({neo4j_local.install_dir()})")
    console.print(f"instance:  {st.name} ({st.home})")
    console.print(f"running:   {'yes, pid ' + str(st.pid) if st.running else 'no'}")
    console.print(f"uri:       {st.uri or '-'}")
    console.print(f"logs:      {st.log}")
    raise typer.Exit(0 if st.running else 1)

