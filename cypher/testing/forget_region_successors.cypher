// Tests: the Region nodes as a graph loaded before successors were kept has them.
MATCH (n:Region)
WHERE n.successor IS NOT NULL
REMOVE n.successor
