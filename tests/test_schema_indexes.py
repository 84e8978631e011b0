"""Every plain index of cypher/admin/schema.cypher is planned by some statement of cypher/.

An index costs every write that touches its label and the first load its whole population; one
that no statement plans with is only cost (role_kind, and six more found in session 6).
"""

from __future__ import annotations

from api_demo import ensure_demo

from graph_service.cypher import CYPHER_DIR, query, statements

DROPPED = {"role_kind", "check_subject", "enterprise_region", "enterprise_name", "person_name", "record_kind",
           "notification_region"}


def _index_operators(plan) -> list[str]:
    """The details of the plan's operators that read an index ("NodeIndexSeek", "...RangeSeek", ...)."""
    out = []
    if "Index" in plan.get("operatorType", ""):
        out.append(str(plan.get("args", {}).get("Details", "")))
    for child in plan.get("children", []):
        out.extend(_index_operators(child))
    return out


def test_every_plain_index_is_planned_by_some_statement(neo4j_driver, neo4j_conn):
    ensure_demo(neo4j_driver, neo4j_conn.database)
    indexes = neo4j_driver.execute_query(query("testing/plain_indexes")).records
    assert indexes and not {r["name"] for r in indexes} & DROPPED
    seen: dict[str, list[str]] = {}
    for path in sorted(CYPHER_DIR.rglob("*.cypher")):
        name = str(path.relative_to(CYPHER_DIR).with_suffix(""))
        if name == "admin/schema":
            continue
        for text in statements(name):
            with neo4j_driver.session(database=neo4j_conn.database) as session:
                # EXPLAIN plans without running (and without parameter values).
                plan = session.run("EXPLAIN " + text).consume().plan
            seen[name] = seen.get(name, []) + _index_operators(plan)
    unused = []
    for r in indexes:
        label, props = r["label"], r["properties"]
        users = [n for n, details in seen.items()
                 if any(f":{label}(" in d and all(p in d for p in props) for d in details)]
        if not users:
            unused.append(f"{r['name']} ({label} {props})")
    assert not unused, f"indexes no statement plans with: {unused}"
