// The facts of the graph for the oracle (graph_service.oracle): every node and relationship except
// what propagation derives (Liability, Notification and their links, REACHES_REGION).
CALL () {
  MATCH (n)
  WHERE NOT n:Liability AND NOT n:Notification AND NOT n:Load
  RETURN collect({id: elementId(n), labels: labels(n), props: properties(n)}) AS nodes
}
CALL () {
  MATCH (a)-[x]->(b)
  WHERE NOT type(x) IN ['GIVES_RISE_TO', 'BINDS', 'REACHES_REGION', 'NOTIFIES']
    AND NOT a:Notification AND NOT a:Load AND NOT b:Load
  RETURN collect({type: type(x), source: elementId(a), target: elementId(b), props: properties(x)}) AS rels
}
RETURN nodes, rels
