// Every node but Load nodes, with its labels and properties (tests compare whole graphs).
MATCH (n)
WHERE NOT n:Load
RETURN labels(n) AS labels, properties(n) AS props
