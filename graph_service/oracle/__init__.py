"""An independent oracle for liability propagation: the rules evaluated in plain Python over a
networkx graph read out of Neo4j (issue 3, item 5), and a writer of small test worlds."""

from graph_service.oracle.evaluate import Oracle, oracle
from graph_service.oracle.export import read_graph, read_liabilities, read_reach

__all__ = ["Oracle", "oracle", "read_graph", "read_liabilities", "read_reach"]
