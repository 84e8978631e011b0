"""credit-graph: joint reward and punishment on a Neo4j credit graph."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
