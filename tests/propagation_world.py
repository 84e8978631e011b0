"""Small test worlds (regions, enterprises, persons, roles, holdings, records) written into Neo4j
through the loader's writers, so that propagation runs incrementally exactly as on a real load."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timezone

import neo4j

from graph_service import propagation
from graph_service.cypher import query
from graph_service.facts.writer import Provenance
from graph_service.identifiers import ric_check_char, uscc_check_char
from graph_service.propagation.writes import write_enterprises, write_persons, write_records, write_roles, write_shareholdings


def uscc(n: int, region: str = "431002") -> str:
    first17 = f"91{region}MA4L{n:04d}0"
    return first17 + uscc_check_char(first17)


def person_id(n: int, region: str = "431002") -> str:
    first17 = f"{region}19800101{n:03d}"
    return first17 + ric_check_char(first17)


# Hunan > Chenzhou > Beihu, Suxian, Zixing; Hunan > Changsha > Furong; Guangdong > Guangzhou > Tianhe.
REGIONS = [
    {"code": "430000", "name": "湖南省", "level": "province", "parent_code": None},
    {"code": "431000", "name": "郴州市", "level": "city", "parent_code": "430000"},
    {"code": "431002", "name": "北湖区", "level": "county", "parent_code": "431000"},
    {"code": "431003", "name": "苏仙区", "level": "county", "parent_code": "431000"},
    {"code": "431081", "name": "资兴市", "level": "county", "parent_code": "431000"},
    {"code": "430100", "name": "长沙市", "level": "city", "parent_code": "430000"},
    {"code": "430102", "name": "芙蓉区", "level": "county", "parent_code": "430100"},
    {"code": "440000", "name": "广东省", "level": "province", "parent_code": None},
    {"code": "440100", "name": "广州市", "level": "city", "parent_code": "440000"},
    {"code": "440106", "name": "天河区", "level": "county", "parent_code": "440100"},
]


@dataclass
class World:
    enterprises: list[dict] = field(default_factory=list)
    persons: list[dict] = field(default_factory=list)
    roles: list[dict] = field(default_factory=list)
    holdings: list[dict] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    regions: list[dict] = field(default_factory=lambda: list(REGIONS))


def provenance() -> Provenance:
    return Provenance("test:world", "world", datetime.now(UTC))


def write_regions(tx, regions: list[dict]) -> None:
    rows = [{"code": r["code"], "name": r["name"], "level": r["level"], "valid_from": None, "valid_to": None,
             "retired": False, "source": "test", "src_load": None, "src_file": None, "src_line": None,
             "src_at": None} for r in regions]
    tx.run(query("regions/upsert"), rows=rows).consume()
    links = [{"code": r["code"], "parent_code": r["parent_code"]} for r in regions if r.get("parent_code")]
    tx.run(query("regions/upsert_links"), rows=links).consume()


def record_row(**kw) -> dict:
    row = {"severity": "serious" if kw.get("kind") == "black" else None, "category": None,
           "authority": "郴州市市场监督管理局", "authority_region": "431000", "document_no": None,
           "misconduct_on": kw.get("decided_on"), "published_on": None, "valid_until": None,
           "legal_basis": None, "responsible_person_ids": []}
    row.update(kw)
    return row


def write_world(driver: neo4j.Driver, world: World, database: str | None = None,
                records_one_by_one: bool = True) -> None:
    """Regions, enterprises, persons, roles and holdings in one transaction, in loading order;
    records one transaction each (or all in one), so that propagation runs as on a real load."""
    prov = provenance()

    def facts(tx):
        write_regions(tx, world.regions)
        for writer, rows in ((write_enterprises, world.enterprises), (write_persons, world.persons),
                             (write_roles, world.roles), (write_shareholdings, world.holdings)):
            if rows:
                writer(tx, rows, prov)

    with driver.session(database=database) as s:
        s.execute_write(facts)
        if records_one_by_one:
            for rec in world.records:
                s.execute_write(lambda tx, r=rec: write_records(tx, [r], prov))
        elif world.records:
            s.execute_write(lambda tx: write_records(tx, world.records, prov))


def end_record(tx, record_id: str, status: str, ended_on) -> None:
    tx.run(query("testing/end_record"), record_id=record_id, status=status, ended_on=ended_on).consume()
    propagation.on_change(tx, record_ids=[record_id])


def end_role(tx, key: str, end_on) -> None:
    row = tx.run(query("testing/end_role"), key=key, end_on=end_on).single(strict=True)
    propagation.on_change(tx, usccs=[row["uscc"]], person_ids=[row["person_id"]])
