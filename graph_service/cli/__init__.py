"""The `credit-graph` command line.

Each module of this package named `*_cmd.py` adds its commands to `app`; they are imported here, so
a new command group is a new module, not an edit of a shared file.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer
from rich.console import Console

app = typer.Typer(help="credit-graph: the joint reward and punishment credit graph on Neo4j.", no_args_is_help=True)
# soft_wrap: a line longer than the terminal is never cut in two (an error line holds paths and
# values a user copies); tables and progress bars still fit the width.
console = Console(stderr=True, soft_wrap=True)

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.endswith("_cmd")):
    importlib.import_module(f"{__name__}.{_mod}")
