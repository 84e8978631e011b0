"""Graph data for the workflow tests, written through the loader's own models and writer."""

from __future__ import annotations

from datetime import UTC, datetime, timezone

from graph_service import runner
from graph_service.facts.models import EnterpriseRow, PersonRow, RecordRow, RoleRow
from graph_service.facts.writer import Provenance
from graph_service.identifiers import uscc_check_char
from graph_service.propagation.writes import write_enterprises, write_persons, write_records, write_roles

PROV = Provenance("test-load", "records.csv", datetime(2025, 1, 1, tzinfo=UTC))


def uscc(n: int, region: str = "431002") -> str:
    # Organisation-code part: 9 characters; the embedded GB 11714 check only warns.
    first17 = f"91{region}MA{n:06d}X"
    return first17 + uscc_check_char(first17)


def resident_id(n: int, region: str = "431002", born: str = "19800101") -> str:
    from graph_service.identifiers import ric_check_char

    first17 = f"{region}{born}{n:03d}"
    return first17 + ric_check_char(first17)


def record_row(record_id: str, subject_id: str, **fields) -> dict:
    row = {
        "record_id": record_id, "subject_kind": "enterprise", "subject_id": subject_id, "kind": "black",
        "category": "health_safety", "authority": "郴州市市场监督管理局", "authority_region": "431000",
        "decided_on": "2024-03-01", "legal_basis": "食品安全法",
    }
    row.update(fields)
    return RecordRow.model_validate(row).model_dump() | {"authority": row["authority"]}


def seed(driver, *, enterprises=(), persons=(), roles=(), records=()) -> None:
    """Writes validated rows (dicts of records.csv-like cells) in one transaction."""

    def work(tx):
        if enterprises:
            write_enterprises(tx, [EnterpriseRow.model_validate(e).model_dump() for e in enterprises], PROV)
        if persons:
            write_persons(tx, [PersonRow.model_validate(p).model_dump() for p in persons], PROV)
        if roles:
            write_roles(tx, [RoleRow.model_validate(r).model_dump() for r in roles], PROV)
        if records:
            write_records(tx, list(records), PROV)

    with driver.session() as s:
        s.execute_write(work)


def write(driver, make_plan):
    return runner.write(driver, make_plan)


def read(driver, make_plan):
    return runner.read(driver, make_plan)


def set_sent(driver, record_id: str, sent_at: datetime) -> list[str]:
    from graph_service.cypher import query

    records, _, _ = driver.execute_query(query("testing/set_notifications_sent"), record_id=record_id,
                                         sent_at=sent_at)
    return sorted(records[0]["notification_ids"])


def regions(driver) -> None:
    from graph_service.regions import ensure_regions

    ensure_regions(driver)
