// Region nodes and PART_OF relationships in the graph, and regions without a parent.
MATCH (n:Region)
OPTIONAL MATCH (n)-[p:PART_OF]->(:Region)
RETURN count(DISTINCT n) AS regions, count(p) AS links,
       count(DISTINCT CASE WHEN p IS NULL THEN n END) AS roots
