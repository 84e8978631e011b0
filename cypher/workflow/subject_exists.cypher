// Whether a record's subject is in the graph, and which of the persons it names are not.
OPTIONAL MATCH (e:Enterprise {uscc: $subject_id})
OPTIONAL MATCH (p:Person {person_id: $subject_id})
RETURN CASE $subject_kind WHEN 'enterprise' THEN e IS NOT NULL ELSE p IS NOT NULL END AS subject,
       [pid IN $responsible_person_ids WHERE NOT EXISTS { MATCH (:Person {person_id: pid}) }] AS missing_persons
