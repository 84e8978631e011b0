// After an import (load --initial): a record naming nobody responsible holds an empty list, as the
// transactional write stores it; the import tool cannot write an empty list (an empty cell is no value).
MATCH (rec:Record)
WHERE rec.responsible_person_ids IS NULL
SET rec.responsible_person_ids = []
