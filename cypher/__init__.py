"""The Cypher statements, one `.cypher` file each, grouped by area.

Installed as the package `graph_service.statements` (pyproject.toml maps this folder), so that
`graph_service.cypher.query` finds them without the repository. `testing/` and `bench/` hold the
statements only the tests and the benchmarks run; they are left out of the wheel.
"""
