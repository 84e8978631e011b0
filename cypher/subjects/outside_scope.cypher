// Of the enterprises $usccs and persons $person_ids of an answer, those not registered in region
// $scope or below it (the region scope of the caller's key, as subjects/lookup gives a
// subject's regions): shown masked and without flags (docs/api.md, "Scope"). A subject with no
// known region is outside too.
UNWIND $usccs AS id
OPTIONAL MATCH (e:Enterprise {uscc: id})
WITH id, e WHERE e IS NULL OR NOT EXISTS {
  MATCH (e)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(:Region {code: $scope}) }
RETURN 'enterprise' AS kind, id
UNION ALL
UNWIND $person_ids AS id
OPTIONAL MATCH (p:Person {person_id: id})
WITH id, p WHERE p IS NULL OR NOT EXISTS {
  MATCH (p)-[:REGISTERED_IN]->(:Region)-[:PART_OF*0..4]->(:Region {code: $scope}) }
RETURN 'person' AS kind, id
