// Empties the database (tests). Large graphs: see admin/clear_graph_batched.
MATCH (n) DETACH DELETE n
