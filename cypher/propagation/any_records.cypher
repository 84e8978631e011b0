// Whether the graph holds any record at all (answered from the count store, in constant time):
// while a first bundle loads its roles and holdings, no record exists yet and nothing can be touched.
MATCH (r:Record) RETURN count(r) > 0 AS any
