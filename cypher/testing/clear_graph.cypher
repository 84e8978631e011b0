// Empties the database (tests). Large graphs: see bench/clear_graph_batched.
MATCH (n) DETACH DELETE n
