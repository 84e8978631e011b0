// How many Region nodes of one source (GB/T 2260 or bundle) the graph holds, and how many of them
// name a successor (none in a graph loaded before successors were kept).
MATCH (n:Region {source: $source})
RETURN count(n) AS n, count(n.successor) AS successors
