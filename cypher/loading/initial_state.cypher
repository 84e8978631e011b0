// What `load --initial` must know before replacing the database by an import: how many nodes are
// not regions, whether the bundle's own regions.csv codes are there, and the loads so far.
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH (r:Region) RETURN count(r) AS regions }
CALL () { MATCH (r:Region) WHERE r.src_load IS NOT NULL RETURN count(r) AS bundle_regions }
CALL () {
  MATCH (l:Load)
  RETURN collect({load_id: l.load_id, status: l.status, mode: l.mode}) AS loads
}
RETURN nodes - regions AS others, bundle_regions, loads
