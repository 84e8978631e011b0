// Every node but Load nodes and the change log (tests/test_changes.py has its own), with its labels
// and properties (tests compare whole graphs).
MATCH (n)
WHERE NOT n:Load AND NOT n:Change AND NOT n:ChangeCounter
RETURN labels(n) AS labels, properties(n) AS props
