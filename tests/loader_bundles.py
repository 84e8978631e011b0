"""Small bundles for the loader tests, written into a test's tmp_path (valid identifiers made with
the check-character functions, so every id is as real as the format allows)."""

from __future__ import annotations

from pathlib import Path

from graph_service.cypher import query
from graph_service.identifiers import ric_check_char, uscc_check_char

E_HEADER = "uscc,name,kind,region_code,status,established_on,registered_capital,industry,address"
P_HEADER = "person_id,id_type,name,region_code"
R_HEADER = "person_id,uscc,role,title,start_on,end_on"
S_HEADER = "holder_id,holder_kind,uscc,ratio,subscribed_capital,start_on,end_on"
C_HEADER = ("record_id,subject_kind,subject_id,kind,category,severity,authority,authority_region,"
            "document_no,misconduct_on,decided_on,published_on,valid_until,legal_basis,"
            "responsible_person_ids")


def uscc(n: int, region: str = "431002") -> str:
    body = f"91{region}MA{n:07d}"
    return body + uscc_check_char(body)


def rid(n: int, region: str = "431002", birth: str = "19800101") -> str:
    body = f"{region}{birth}{n:03d}"
    return body + ric_check_char(body)


def write_bundle(root: Path, name: str = "bundle", **files: str) -> Path:
    """files: file stem → CSV text (e.g. enterprises="uscc,name\\n..."), written as UTF-8."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for stem, text in files.items():
        (folder / f"{stem}.csv").write_text(text, encoding="utf-8", newline="")
    return folder


def csv_text(header: str, *rows: str) -> str:
    return "\n".join([header, *rows]) + "\n"


E = [uscc(i) for i in range(1, 7)]
P = [rid(i) for i in range(1, 7)]


def base_files() -> dict[str, str]:
    """A clean bundle: 4 enterprises, 4 persons, roles, a holding chain, one record of each kind."""
    return {
        "enterprises": csv_text(
            E_HEADER,
            f"{E[0]},郴州建材有限公司,enterprise,,active,2010-03-01,1000,3021,郴州市北湖区人民路1号",
            f"{E[1]},郴州控股有限公司,enterprise,,active,2008-01-01,5000.5,7212,",
            f"{E[2]},苏仙物流有限公司,enterprise,431003,abnormal,2015-06-01,,5431,",
            f"{E[3]},北湖示范企业有限公司,enterprise,,active,2012-01-01,300,,",
        ),
        "persons": csv_text(
            P_HEADER,
            f"{P[0]},resident_id,张三,",
            f"{P[1]},resident_id,李四,",
            f"{P[2]},,王五,",
            "E12345678,passport,John Smith,",
        ),
        "roles": csv_text(
            R_HEADER,
            f"{P[0]},{E[0]},legal_representative,执行董事,2010-03-01,2022-06-30",
            f"{P[1]},{E[0]},legal_representative,执行董事,2022-06-30,",
            f"{P[1]},{E[1]},actual_controller,,,",
            f"{P[2]},{E[2]},legal_representative,总经理,2015-06-01,",
            f"E12345678,{E[1]},director,董事,2019-01-01,",
        ),
        "shareholdings": csv_text(
            S_HEADER,
            f"{E[1]},enterprise,{E[0]},0.6,600,2010-03-01,",
            f"{P[0]},person,{E[0]},0.4,400,2010-03-01,2022-06-30",
            f"{P[1]},person,{E[0]},0.4,400,2022-06-30,",
            f"{P[1]},person,{E[1]},1,5000.5,2008-01-01,",
            f"{E[0]},enterprise,{E[2]},0.51,,2015-06-01,",
        ),
        "records": csv_text(
            C_HEADER,
            f"CZ-2023-001,enterprise,{E[0]},black,health_safety,,郴州市住房和城乡建设局,431000,"
            f"郴建罚〔2023〕1号,2022-05-01,2023-03-01,2023-03-05,,《建设工程质量管理条例》,{P[0]}",
            f"CZ-2023-002,enterprise,{E[2]},penalty,运输违规,,郴州市交通运输局,431000,,,"
            "2023-04-01,,,,",
            f"CZ-2023-003,enterprise,{E[3]},red,纳税信用A级,,郴州市税务局,431000,,,2023-01-10,,,,",
        ),
    }


def _native(v):
    return v.to_native() if hasattr(v, "to_native") else v


def graph_nodes(driver, label: str) -> dict[str, dict]:
    """The nodes of one label by key, with Python values (dates as datetime.date)."""
    key = {"Enterprise": "uscc", "Person": "person_id", "Record": "record_id",
           "Authority": "authority_id"}[label]
    records, _, _ = driver.execute_query(query("testing/graph_dump_nodes"))
    return {r["props"][key]: {k: _native(v) for k, v in r["props"].items()}
            for r in records if label in r["labels"]}


def graph_rels(driver, rel_type: str) -> list[tuple[str, str, dict]]:
    """(key of start, key of end, properties) of every relationship of one type."""
    records, _, _ = driver.execute_query(query("testing/graph_dump_relationships"))
    return [(r["src"], r["dst"], {k: _native(v) for k, v in r["props"].items()})
            for r in records if r["type"] == rel_type]


def dump_graph(driver, *, ignore=("src_at",)) -> tuple[list, list]:
    """Every node but Load nodes and every relationship, as sorted comparable tuples."""
    nodes, _, _ = driver.execute_query(query("testing/graph_dump_nodes"))
    rels, _, _ = driver.execute_query(query("testing/graph_dump_relationships"))

    def clean(props: dict) -> tuple:
        return tuple(sorted((k, repr(v)) for k, v in props.items() if k not in ignore))

    return (sorted((tuple(sorted(r["labels"])), clean(r["props"])) for r in nodes),
            sorted((r["type"], r["src"], r["dst"], clean(r["props"])) for r in rels))
