// The members of a canonical subject's identity: the subjects merged into it ($kind, $id), directly
// or through others (merged_into is always the canonical one), and for each member the members
// merged through it (MERGED_INTO links, one per judgement), for splitting it off again.
CALL () {
  MATCH (n:Enterprise {merged_into: $id}) WHERE $kind = 'enterprise' RETURN n
  UNION
  MATCH (n:Person {merged_into: $id}) WHERE $kind = 'person' RETURN n
}
RETURN coalesce(n.uscc, n.person_id) AS id,
  COLLECT { MATCH (y)-[:MERGED_INTO*1..]->(n) RETURN DISTINCT coalesce(y.uscc, y.person_id) } AS below
