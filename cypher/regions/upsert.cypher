// Region nodes of the GB/T 2260 table (or a bundle's regions.csv), one row per code.
// successor: for a retired code, the code in use that took it over (where its subjects count).
// Idempotent: MERGE on the code. The src_* properties are null for the national table.
// src_department: the department that reported the bundle (null if it named none).
UNWIND $rows AS row
MERGE (n:Region {code: row.code})
SET n.name = row.name,
    n.level = row.level,
    n.valid_from = row.valid_from,
    n.valid_to = row.valid_to,
    n.retired = row.retired,
    n.successor = row.successor,
    n.source = row.source,
    n.src_load = row.src_load,
    n.src_file = row.src_file,
    n.src_line = row.src_line,
    n.src_at = row.src_at,
    n.src_department = row.src_department
