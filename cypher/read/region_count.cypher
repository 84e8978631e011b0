// How many Region nodes of one source (GB/T 2260 or bundle) the graph holds.
MATCH (n:Region {source: $source})
RETURN count(n) AS n
