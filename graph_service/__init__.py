"""credit-graph: joint reward and punishment on a Neo4j credit graph."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _home() -> Path:
    """Where the service keeps what it installs and writes (Neo4j, journals): CREDIT_GRAPH_HOME;
    else the checkout it runs from; else ~/.credit-graph for an installed wheel."""
    if os.environ.get("CREDIT_GRAPH_HOME"):
        return Path(os.environ["CREDIT_GRAPH_HOME"])
    if (REPO_ROOT / "pyproject.toml").is_file():
        return REPO_ROOT
    return Path.home() / ".credit-graph"


HOME = _home()
