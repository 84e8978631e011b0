"""The bundle loader against a real Neo4j: what it writes, what it rejects and why, line numbers,
idempotent reloads, incremental updates, strict and dry runs."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timezone

import pytest
from loader_bundles import (
    C_HEADER,
    E_HEADER,
    P_HEADER,
    R_HEADER,
    S_HEADER,
    E,
    P,
    base_files,
    csv_text,
    dump_graph,
    graph_nodes,
    graph_rels,
    rid,
    uscc,
    write_bundle,
)
from typer.testing import CliRunner

from graph_service.cypher import query
from graph_service.facts.writer import Provenance
from graph_service.propagation.writes import write_roles, write_shareholdings
from loaders import LoadResult, load_bundle


def issues(result: LoadResult) -> list[tuple[str, int | None, str | None]]:
    return [(i.file, i.line, i.column) for i in result.rejections]


def only_rejection(result: LoadResult):
    assert len(result.rejections) == 1, [str(i) for i in result.rejections]
    return result.rejections[0]


nodes = graph_nodes
rels = graph_rels


# -- a clean bundle -------------------------------------------------------------------------------


def test_clean_bundle_loads_every_row_with_provenance(graph, tmp_path):
    folder = write_bundle(tmp_path, **base_files())
    result = load_bundle(graph, folder, batch_size=2)

    assert result.rejections == []
    assert {n: (c.read, c.loaded, c.rejected) for n, c in result.files.items()} == {
        "enterprises.csv": (4, 4, 0), "persons.csv": (4, 4, 0), "roles.csv": (5, 5, 0),
        "shareholdings.csv": (5, 5, 0), "records.csv": (3, 3, 0)}
    ents = nodes(graph, "Enterprise")
    assert ents[E[0]]["region_code"] == "431002"  # default: characters 3-8 of the USCC
    assert ents[E[2]]["region_code"] == "431003" and ents[E[2]]["status"] == "abnormal"
    assert ents[E[1]]["registered_capital"] == 5000.5
    assert ents[E[0]]["src_load"] == result.load_id
    assert (ents[E[0]]["src_file"], ents[E[0]]["src_line"]) == ("enterprises.csv", 2)
    persons = nodes(graph, "Person")
    assert persons[P[2]]["id_type"] == "resident_id" and persons[P[2]]["region_code"] == "431002"
    assert "region_code" not in persons["E12345678"]  # a passport says nothing of a region

    registered = {(s, d) for s, d, _ in rels(graph, "REGISTERED_IN")}
    assert (E[2], "431003") in registered and (P[0], "431002") in registered
    roles = {f"{src}>{dst}>{p['role']}": p for src, dst, p in rels(graph, "HOLDS_ROLE")}
    lr = roles[f"{P[0]}>{E[0]}>legal_representative"]
    assert lr["end_on"] == date(2022, 6, 30) and lr["title"] == "执行董事"
    assert lr["key"] == f"{P[0]}|{E[0]}|legal_representative|2010-03-01"
    assert lr["src_file"] == "roles.csv" and lr["src_line"] == 2
    assert roles[f"{P[1]}>{E[1]}>actual_controller"]["key"].endswith("|actual_controller|")

    records = nodes(graph, "Record")
    black = records["CZ-2023-001"]
    assert black["severity"] == "serious" and black["status"] == "in_force"
    assert black["authority_id"] == "431000:郴州市住房和城乡建设局"
    assert black["misconduct_on"] == date(2022, 5, 1) and black["responsible_person_ids"] == [P[0]]
    assert black["valid_until"] is not None and black["valid_until"] > black["decided_on"]
    assert records["CZ-2023-002"]["severity"] == "general"
    assert records["CZ-2023-002"]["misconduct_on"] == records["CZ-2023-002"]["decided_on"]
    assert ("CZ-2023-001", E[0]) in {(s, d) for s, d, _ in rels(graph, "CONCERNS")}
    assert {(s, d) for s, d, _ in rels(graph, "NAMES_RESPONSIBLE")} == {("CZ-2023-001", P[0])}
    assert ("CZ-2023-001", "431000:郴州市住房和城乡建设局") in {(s, d) for s, d, _ in rels(graph, "DECIDED_BY")}
    assert ("431000:郴州市住房和城乡建设局", "431000") in {(s, d) for s, d, _ in rels(graph, "IN_REGION")}

    status, _, _ = graph.execute_query(query("testing/load_status"), load_id=result.load_id)
    assert status[0]["status"] == "done"
    assert json.loads(status[0]["counts"])["roles.csv"]["loaded"] == 5


# -- every rejection reason ---------------------------------------------------------------------

E_ROW = f"{E[0]},郴州建材有限公司,enterprise,,active,2010-03-01,1000,3021,"


def _one(stem: str, header: str, *rows: str, **others: str) -> dict[str, str]:
    files = {"enterprises": csv_text(E_HEADER, E_ROW, f"{E[1]},控股,,,,,,,"),
             "persons": csv_text(P_HEADER, f"{P[0]},,张三,", f"{P[1]},,李四,")}
    files.update(others)
    files[stem] = csv_text(header, *rows)
    return files


REJECTIONS = {
    "uscc check character": (
        _one("enterprises", E_HEADER, E_ROW, f"{E[1][:-1]}A,坏代码,,,,,,,"),
        ("enterprises.csv", 3, "uscc"), "check character should be"),
    "citizen id check character": (
        _one("persons", P_HEADER, f"{P[0]},,张三,", f"{P[1][:-1]}{'0' if P[1][-1] != '0' else '1'},,李四,"),
        ("persons.csv", 3, "person_id"), "check character should be"),
    "unknown enum value": (
        _one("enterprises", E_HEADER, f"{E[0]},郴州建材有限公司,enterprise,,closed,,,,"),
        ("enterprises.csv", 2, "status"), "must be one of 'active'"),
    "not a date": (
        _one("roles", R_HEADER, f"{P[0]},{E[0]},director,,2020/01/01,"),
        ("roles.csv", 2, "start_on"), "expected YYYY-MM-DD"),
    "region code not in the table": (
        _one("enterprises", E_HEADER, f"{E[0]},郴州建材有限公司,,439999,,,,,"),
        ("enterprises.csv", 2, "region_code"), "not in the GB/T 2260 table"),
    "enterprise established after its region code was retired": (
        _one("enterprises", E_HEADER, f"{E[0]},郴州建材有限公司,,432801,,2020-05-01,,,"),
        ("enterprises.csv", 2, "region_code"), "region 432801 (郴州市) was retired after 1994; its successor "
        "is 431000: an enterprise established on 2020-05-01 cannot be registered under it"),
    "required value empty": (
        _one("enterprises", E_HEADER, f"{E[0]},,,,,,,,"),
        ("enterprises.csv", 2, "name"), "required value is empty"),
    "role ends before it starts": (
        _one("roles", R_HEADER, f"{P[0]},{E[0]},director,,2021-01-01,2020-12-31"),
        ("roles.csv", 2, "end_on"), "end_on 2020-12-31 is before start_on 2021-01-01"),
    "holding ends before it starts": (
        _one("shareholdings", S_HEADER, f"{P[0]},person,{E[0]},0.5,,2021-01-01,2020-01-01"),
        ("shareholdings.csv", 2, "end_on"), "is before start_on"),
    "ratio zero": (
        _one("shareholdings", S_HEADER, f"{P[0]},person,{E[0]},0,,,"),
        ("shareholdings.csv", 2, "ratio"), "outside (0, 1]"),
    "ratio above one": (
        _one("shareholdings", S_HEADER, f"{P[0]},person,{E[0]},1.2,,,"),
        ("shareholdings.csv", 2, "ratio"), "outside (0, 1]"),
    "holdings above 100 %": (
        _one("shareholdings", S_HEADER, f"{P[0]},person,{E[0]},0.7,,2020-01-01,",
             f"{P[1]},person,{E[0]},0.2,,,2019-06-01",
             f"{E[1]},enterprise,{E[0]},0.4,,2020-06-01,2021-01-01"),
        ("shareholdings.csv", 4, "ratio"),
        "would add up to 1.1 on 2020-06-01 (> 1): this row's 0.4 plus 0.7 from line 2"),
    "role of an unknown person": (
        _one("roles", R_HEADER, f"{rid(77)},{E[0]},director,,,"),
        ("roles.csv", 2, "person_id"), "is neither in persons.csv nor already in the graph"),
    "holding into an unknown enterprise": (
        _one("shareholdings", S_HEADER, f"{P[0]},person,{uscc(99)},0.5,,,"),
        ("shareholdings.csv", 2, "uscc"), "is neither in enterprises.csv nor already in the graph"),
    "holding by an unknown enterprise": (
        _one("shareholdings", S_HEADER, f"{uscc(98)},enterprise,{E[0]},0.5,,,"),
        ("shareholdings.csv", 2, "holder_id"), "is neither in enterprises.csv"),
    "black record without a category": (
        _one("records", C_HEADER, f"R1,enterprise,{E[0]},black,,,郴州市市场监督管理局,431000,,,2023-01-01,,,,"),
        ("records.csv", 2, "category"), "a black record needs one of the four categories"),
    "black record with a category of its own": (
        _one("records", C_HEADER, f"R1,enterprise,{E[0]},black,质量问题,,郴州市市场监督管理局,431000,,,2023-01-01,,,,"),
        ("records.csv", 2, "category"), "'质量问题' is not one of them"),
    "record about an unknown subject": (
        _one("records", C_HEADER, f"R1,person,{rid(55)},penalty,x,,郴州市市场监督管理局,431000,,,2023-01-01,,,,"),
        ("records.csv", 2, "subject_id"), "is neither in persons.csv"),
    "record naming an unknown responsible person": (
        _one("records", C_HEADER, f"R1,enterprise,{E[0]},black,health_safety,,郴州市市场监督管理局,431000,,,"
             f"2023-01-01,,,,{P[0]};{rid(56)}"),
        ("records.csv", 2, "responsible_person_ids"), f"person {rid(56)} is neither in persons.csv"),
    "record valid until before its decision": (
        _one("records", C_HEADER, f"R1,enterprise,{E[0]},penalty,x,,局,431000,,,2023-01-01,,2022-01-01,,"),
        ("records.csv", 2, "valid_until"), "is before decided_on"),
    "row with too many fields": (
        _one("persons", P_HEADER, f"{P[0]},,张三,", f"{P[1]},,李四,,extra"),
        ("persons.csv", 3, None), "row has 5 fields, the header has 4"),
    "CSV syntax": (
        _one("persons", P_HEADER, f'{P[0]},,"张"三,', f"{P[1]},,李四,"),
        ("persons.csv", 2, None), "CSV syntax error"),
}


@pytest.mark.parametrize("case", list(REJECTIONS), ids=list(REJECTIONS))
def test_each_rejection_reason(graph, tmp_path, case):
    files, where, reason = REJECTIONS[case]
    result = load_bundle(graph, write_bundle(tmp_path, **files))
    issue = only_rejection(result)
    assert (issue.file, issue.line, issue.column) == where
    assert reason in issue.reason
    assert result.files[where[0]].rejected == 1
    # The rejected row wrote nothing; every other row was loaded.
    for name, counts in result.files.items():
        assert counts.loaded == counts.read - counts.rejected, name


def test_role_of_a_person_whose_row_was_rejected(graph, tmp_path):
    files = _one("roles", R_HEADER, f"{P[2]},{E[0]},director,,,",
                 persons=csv_text(P_HEADER, f"{P[0]},,张三,", f"{P[2]},,,"))
    result = load_bundle(graph, write_bundle(tmp_path, **files))
    assert issues(result) == [("persons.csv", 3, "name"), ("roles.csv", 2, "person_id")]
    assert result.rejections[1].reason == (f"person {P[2]} is not in the graph and its row in "
                                           "persons.csv (line 3) was rejected")


def test_invalid_utf8_rejects_only_its_row(graph, tmp_path):
    folder = write_bundle(tmp_path, persons=csv_text(P_HEADER, f"{P[0]},,张三,"))
    with (folder / "persons.csv").open("ab") as fh:
        fh.write(P[1].encode() + b",,\xff\xfe,\n" + f"{P[2]},,王五,\n".encode())
    result = load_bundle(graph, folder)
    issue = only_rejection(result)
    assert (issue.line, issue.column, issue.reason) == (3, "name", "not valid UTF-8")
    assert set(nodes(graph, "Person")) == {P[0], P[2]}


def test_missing_required_column_rejects_the_whole_file(graph, tmp_path):
    files = base_files()
    files["roles"] = csv_text("person_id,uscc,title", f"{P[0]},{E[0]},董事", f"{P[1]},{E[0]},监事")
    result = load_bundle(graph, write_bundle(tmp_path, **files))
    issue = only_rejection(result)
    assert (issue.file, issue.line, issue.column) == ("roles.csv", 1, "role")
    assert issue.reason == "required column 'role' is missing: the whole file is rejected (2 rows)"
    assert (result.files["roles.csv"].read, result.files["roles.csv"].rejected) == (2, 2)
    assert rels(graph, "HOLDS_ROLE") == []
    assert len(nodes(graph, "Enterprise")) == 4  # the other files load


def test_unknown_column_and_file_are_warnings(graph, tmp_path):
    files = base_files()
    files["persons"] = files["persons"].replace("region_code\n", "region_code,nickname\n", 1).replace(",\n", ",,x\n")
    files["notes"] = "anything\n"
    result = load_bundle(graph, write_bundle(tmp_path, **files))
    assert result.rejections == []
    warned = {(w.file, w.line, w.column) for w in result.warnings}
    assert ("persons.csv", 1, "nickname") in warned
    assert ("notes.csv", None, None) in warned


def test_holdings_sum_counts_the_graph_and_a_reload_replaces(graph, tmp_path):
    first = _one("shareholdings", S_HEADER, f"{P[0]},person,{E[0]},0.6,,2020-01-01,")
    assert load_bundle(graph, write_bundle(tmp_path, "one", **first)).rejections == []
    # Same key (holder, enterprise, start) at 0.9 replaces 0.6: no sum with itself.
    second = _one("shareholdings", S_HEADER, f"{P[0]},person,{E[0]},0.9,,2020-01-01,",
                  f"{P[1]},person,{E[0]},0.2,,2021-01-01,")
    result = load_bundle(graph, write_bundle(tmp_path, "two", **second))
    issue = only_rejection(result)
    assert issue.line == 3
    assert "would add up to 1.1 on 2021-01-01 (> 1): this row's 0.2 plus 0.9 from line 2" in issue.reason
    # An end date frees the share for a holder starting that day (half-open intervals).
    third = _one("shareholdings", S_HEADER, f"{P[0]},person,{E[0]},0.9,,2020-01-01,2021-01-01",
                 f"{P[1]},person,{E[0]},0.2,,2021-01-01,")
    assert load_bundle(graph, write_bundle(tmp_path, "three", **third)).rejections == []
    fourth = _one("shareholdings", S_HEADER, f"{rid(3)},person,{E[0]},0.85,,2019-01-01,",
                  persons=csv_text(P_HEADER, f"{rid(3)},,赵六,"))
    result = load_bundle(graph, write_bundle(tmp_path, "four", **fourth))
    assert "plus 0.9 from 1 holding already in the graph" in only_rejection(result).reason


# -- line numbers -------------------------------------------------------------------------------


def test_line_numbers_count_quoted_line_breaks_bom_and_crlf(graph, tmp_path):
    text = ("\ufeff" + E_HEADER + "\r\n"
            + f'{E[0]},郴州建材有限公司,,,,,,,"郴州市北湖区\r\n人民路1号\r\n二楼"\r\n'  # lines 2-4
            + "\r\n"  # line 5: blank
            + f"{E[1]},,,,,,,,\r\n"  # line 6: no name
            + f'{E[2]},"苏仙""物流""有限公司",,,,,,,"苏仙区\n人民路"\r\n'  # lines 7-8
            + f"{E[3]},示范,,,,2020-13-01,,,\r\n")  # line 9: bad date
    result = load_bundle(graph, write_bundle(tmp_path, enterprises=text))
    assert issues(result) == [("enterprises.csv", 6, "name"), ("enterprises.csv", 9, "established_on")]
    ents = nodes(graph, "Enterprise")
    assert ents[E[0]]["address"] == "郴州市北湖区\r\n人民路1号\r\n二楼"
    assert ents[E[2]]["name"] == '苏仙"物流"有限公司' and ents[E[2]]["src_line"] == 7
    assert ents[E[2]]["address"] == "苏仙区\n人民路"


def test_identifiers_are_normalised_before_checks(graph, tmp_path):
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in E[0].lower())
    files = {"enterprises": csv_text(E_HEADER, f"  {fullwidth} ,郴州建材有限公司,ENTERPRISE,,Active,,,,"),
             "persons": csv_text(P_HEADER, f"{P[5][:-1]}{P[5][-1].lower()},,张三,")}
    result = load_bundle(graph, write_bundle(tmp_path, **files))
    assert result.rejections == []
    assert set(nodes(graph, "Enterprise")) == {E[0]}
    assert set(nodes(graph, "Person")) == {P[5]}


# -- idempotent, incremental ------------------------------------------------------------------


def test_reloading_the_same_bundle_leaves_the_graph_identical(graph, tmp_path):
    folder = write_bundle(tmp_path, **base_files())
    first = load_bundle(graph, folder, batch_size=3)
    before = dump_graph(graph, ignore=())
    again = load_bundle(graph, folder, batch_size=2)
    assert dump_graph(graph, ignore=()) == before  # provenance included: nothing changed
    assert again.load_id == first.load_id
    assert sum(c.changed for c in again.files.values()) == 0
    assert sum(c.loaded for c in again.files.values()) == sum(c.loaded for c in first.files.values())
    status, _, _ = graph.execute_query(query("testing/load_status"), load_id=first.load_id)
    assert (status[0]["status"], status[0]["runs"]) == ("done", 2)


def test_a_key_repeated_in_one_batch_ends_on_its_last_row_on_every_reload(graph, tmp_path):
    files = base_files()
    files["enterprises"] += f"{E[0]},郴州建材二号有限公司,,,,,,,\n{E[0]},郴州建材三号有限公司,,,,,,,\n"
    files["roles"] += f"{P[0]},{E[0]},legal_representative,经理,,\n{P[0]},{E[0]},legal_representative,总经理,,\n"
    folder = write_bundle(tmp_path, **files)
    load_bundle(graph, folder)  # one batch: every repeat is compared with the same stored state
    assert nodes(graph, "Enterprise")[E[0]]["name"] == "郴州建材三号有限公司"
    before = dump_graph(graph, ignore=())
    load_bundle(graph, folder)
    assert dump_graph(graph, ignore=()) == before
    titles = {p["title"] for s, e, p in rels(graph, "HOLDS_ROLE")
              if (s, e) == (P[0], E[0]) and p.get("start_on") is None}
    assert titles == {"总经理"}


def test_roles_and_holdings_written_at_once_by_two_writers_are_one_fact_each(graph, tmp_path):
    """No constraint guards a role's or holding's key (cypher/admin/schema.cypher): the writers MERGE it
    between its two ends already matched, and Neo4j locks both before it creates. Two writers
    racing over the same new rows must still leave one relationship per key."""
    files = base_files()
    folder = write_bundle(tmp_path, enterprises=files["enterprises"], persons=files["persons"])
    load_bundle(graph, folder)
    people = [P[0], P[1], P[2], "E12345678"]
    roles = [{"person_id": people[i], "uscc": E[j], "role": role, "title": "经理", "start_on": date(2020, 1, 1 + i),
              "line": 2 + i} for i in range(4) for j in range(4) for role in ("director", "supervisor")]
    holdings = [{"holder_id": people[i], "holder_kind": "person", "uscc": E[j], "ratio": 0.1,
                 "start_on": date(2020, 1, 1), "line": 2 + i} for i in range(4) for j in range(4)]
    holdings += [{"holder_id": E[i], "holder_kind": "enterprise", "uscc": E[(i + 1) % 4], "ratio": 0.2,
                  "start_on": None, "line": 20 + i} for i in range(4)]
    prov = Provenance("load-race", "race.csv", datetime.now(UTC))
    for _ in range(5):
        graph.execute_query(query("testing/delete_holdings_and_roles"))
        barrier = threading.Barrier(4)

        def write(writer, rows, barrier=barrier):
            with graph.session() as session:
                barrier.wait()
                session.execute_write(writer, rows, prov)

        jobs = [(write_roles, roles), (write_roles, roles), (write_shareholdings, holdings),
                (write_shareholdings, holdings)]
        with ThreadPoolExecutor(len(jobs)) as pool:
            for f in [pool.submit(write, w, rows) for w, rows in jobs]:
                f.result()
        role_keys = [p["key"] for _, _, p in rels(graph, "HOLDS_ROLE")]
        holding_keys = [p["key"] for _, _, p in rels(graph, "HOLDS_SHARES")]
        assert len(role_keys) == len(set(role_keys)) == len(roles)
        assert len(holding_keys) == len(set(holding_keys)) == len(holdings)


def test_a_later_bundle_updates_properties_and_end_dates(graph, tmp_path):
    first = load_bundle(graph, write_bundle(tmp_path, "one", **base_files()))
    later = {
        # Only the columns it has are written: the address stays as the first bundle gave it.
        "enterprises": csv_text("uscc,name,status", f"{E[0]},郴州建材有限公司,revoked"),
        "roles": csv_text(R_HEADER, f"{P[1]},{E[0]},legal_representative,执行董事,2022-06-30,2024-01-31"),
    }
    second = load_bundle(graph, write_bundle(tmp_path, "two", **later))
    assert second.rejections == [] and second.load_id != first.load_id
    ent = nodes(graph, "Enterprise")[E[0]]
    assert ent["status"] == "revoked" and ent["address"] == "郴州市北湖区人民路1号"
    assert ent["src_load"] == second.load_id
    roles = {p["key"]: p for _, _, p in rels(graph, "HOLDS_ROLE")}
    changed = roles[f"{P[1]}|{E[0]}|legal_representative|2022-06-30"]
    assert changed["end_on"] == date(2024, 1, 31) and changed["src_load"] == second.load_id
    untouched = roles[f"{P[0]}|{E[0]}|legal_representative|2010-03-01"]
    assert untouched["src_load"] == first.load_id
    assert len(roles) == 5  # updated in place, not added


def test_a_later_record_row_moves_its_links(graph, tmp_path):
    load_bundle(graph, write_bundle(tmp_path, "one", **base_files()))
    later = {"records": csv_text(
        C_HEADER, f"CZ-2023-001,enterprise,{E[1]},black,health_safety,,郴州市住房和城乡建设局,431000,"
        f"郴建罚〔2023〕1号,2022-05-01,2023-03-01,2023-03-05,,《建设工程质量管理条例》,{P[1]}")}
    assert load_bundle(graph, write_bundle(tmp_path, "two", **later)).rejections == []
    concerns = {(s, d) for s, d, _ in rels(graph, "CONCERNS")}
    assert ("CZ-2023-001", E[1]) in concerns and ("CZ-2023-001", E[0]) not in concerns
    assert {(s, d) for s, d, _ in rels(graph, "NAMES_RESPONSIBLE")} == {("CZ-2023-001", P[1])}


# -- strict, dry run, no dangling nodes -------------------------------------------------------


def _bad_files() -> dict[str, str]:
    files = base_files()
    files["roles"] = csv_text(R_HEADER, f"{P[0]},{E[0]},director,,2021-01-01,2020-01-01",
                              f"{P[1]},{E[1]},director,,,")
    return files


def test_strict_writes_nothing_when_a_row_is_bad(graph, tmp_path):
    result = load_bundle(graph, write_bundle(tmp_path, **_bad_files()), strict=True)
    assert issues(result) == [("roles.csv", 2, "end_on")]
    assert not result.written
    assert dump_graph(graph) == ([], [])
    # A clean bundle loads in strict mode.
    ok = load_bundle(graph, write_bundle(tmp_path, "ok", **base_files()), strict=True)
    assert ok.written and ok.rejections == [] and len(nodes(graph, "Enterprise")) == 4


def test_dry_run_validates_and_writes_nothing(graph, tmp_path):
    result = load_bundle(graph, write_bundle(tmp_path, **_bad_files()), dry_run=True)
    assert issues(result) == [("roles.csv", 2, "end_on")]
    assert result.files["roles.csv"].loaded == 1 and not result.written
    assert dump_graph(graph) == ([], [])


def test_rejected_references_leave_no_dangling_nodes(graph, tmp_path):
    files = base_files()
    files["persons"] = csv_text(P_HEADER, f"{P[0]},,张三,", f"{P[1][:-1]}0,,李四,")  # bad check
    files["roles"] += f"{rid(90)},{E[0]},supervisor,,,\n{P[0]},{uscc(90)},supervisor,,,\n"
    files["records"] += (f"CZ-X,person,{rid(91)},penalty,x,,局,431000,,,2023-01-01,,,,\n")
    result = load_bundle(graph, write_bundle(tmp_path, **files))
    assert result.rejected > 0
    assert set(nodes(graph, "Person")) == {P[0]}
    assert set(nodes(graph, "Enterprise")) == set(E[:4])
    # Every enterprise and person node comes from a row of its own file.
    for label, source in (("Enterprise", "enterprises.csv"), ("Person", "persons.csv")):
        assert {n["src_file"] for n in nodes(graph, label).values()} == {source}
    holders = {s for s, _, _ in rels(graph, "HOLDS_ROLE")} | {s for s, _, _ in rels(graph, "HOLDS_SHARES")}
    assert holders <= {P[0], *E[:4]}


# -- the command line -----------------------------------------------------------------------


def test_cli_reports_rejections_and_exits_non_zero(graph, tmp_path):
    from graph_service.cli import app

    report = tmp_path / "report.jsonl"
    folder = write_bundle(tmp_path, **_bad_files())
    res = CliRunner().invoke(app, ["load", str(folder), "--report", str(report), "--batch-size", "2"])
    assert res.exit_code == 1, res.output
    lines = [json.loads(x) for x in report.read_text(encoding="utf-8").splitlines()]
    errors = [x for x in lines if x["level"] == "error"]
    assert errors == [{"file": "roles.csv", "line": 2, "column": "end_on", "value": "2020-01-01",
                       "reason": "end_on 2020-01-01 is before start_on 2021-01-01", "level": "error"}]
    assert "roles.csv:2 [end_on] '2020-01-01': end_on 2020-01-01 is before start_on" in " ".join(res.output.split())

    ok = CliRunner().invoke(app, ["load", str(write_bundle(tmp_path, "ok", **base_files()))])
    assert ok.exit_code == 0, ok.output
    missing = CliRunner().invoke(app, ["load", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "not a folder" in missing.output


def test_regions_csv_adds_codes_the_table_lacks(graph, tmp_path):
    files = {
        "regions": csv_text("code,name,parent_code,level",
                            "431099,郴州高新区,431000,county",
                            "431098,某园区,439998,county",  # parent known nowhere
                            "431002,北湖区,431000,county"),  # already in the national table
        "enterprises": csv_text(E_HEADER, f"{E[0]},郴州高新企业,,431099,,,,,"),
    }
    result = load_bundle(graph, write_bundle(tmp_path, **files))
    assert issues(result) == [("regions.csv", 3, "parent_code"), ("regions.csv", 4, "code")]
    assert (result.files["regions.csv"].loaded, result.files["regions.csv"].rejected) == (1, 2)
    assert result.files["enterprises.csv"].rejected == 0
    assert (E[0], "431099") in {(s, d) for s, d, _ in rels(graph, "REGISTERED_IN")}
    assert ("431099", "431000") in {(s, d) for s, d, _ in rels(graph, "PART_OF")}


def test_subjects_under_retired_codes_are_linked_to_the_successor(graph, tmp_path):
    # Ids and older registrations keep a retired code; the node keeps it, the link (scope, reach)
    # goes to the code in use that took it over. An enterprise under a code in use until 1994 is
    # fine when it was established by then.
    old_city, guiyang = rid(1, "432801", "19800101"), uscc(7, "432822")
    files = {"persons": csv_text(P_HEADER, f"{old_city},,老郴州,"),
             "enterprises": csv_text(E_HEADER, f"{guiyang},桂阳老企业,,,,1990-05-01,,,")}
    result = load_bundle(graph, write_bundle(tmp_path, **files))
    assert not result.rejections
    registered = graph.execute_query(query("testing/registered_in"), ids=[old_city, guiyang]).records
    assert {(r["id"], r["region_code"], r["code"]) for r in registered} == {
        (old_city, "432801", "431000"), (guiyang, "432822", "431021")}


def test_validating_in_worker_processes_gives_the_same_outcome(graph, tmp_path, monkeypatch):
    from bench.generate import generate_bundle
    from loaders.bundle import validate_pool

    folder = tmp_path / "bundle"
    generate_bundle(folder, 300, seed=11)
    # Damage every 37th data row of each file in a different way: a bad id, a bad date, a wrong
    # field count; rows that refer to a damaged enterprise or person are rejected in turn.
    for f in ("enterprises.csv", "persons.csv", "roles.csv", "shareholdings.csv", "records.csv"):
        lines = (folder / f).read_text(encoding="utf-8").splitlines()
        for i in range(1, len(lines), 37):
            kind = (i // 37) % 3
            lines[i] = ("X" + lines[i]) if kind == 0 else (
                lines[i].replace("-0", "-1", 1).replace("-1", "-13", 1) if kind == 1 else lines[i] + ",extra")
        (folder / f).write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(validate_pool, "CHUNK", 50)  # many chunks in flight, taken back in order

    one = load_bundle(graph, folder, dry_run=True, validators=1)
    two = load_bundle(graph, folder, dry_run=True, validators=2)

    assert one.rejected > 30 and one.rejected < one.rows_read
    assert [str(i) for i in two.rejections] == [str(i) for i in one.rejections]
    assert [str(i) for i in two.warnings] == [str(i) for i in one.warnings]
    assert {f: (c.read, c.loaded, c.rejected, c.warnings) for f, c in two.files.items()} == \
        {f: (c.read, c.loaded, c.rejected, c.warnings) for f, c in one.files.items()}


def test_cli_error_lines_are_never_wrapped(graph, tmp_path, monkeypatch):
    # A fresh clone's temporary paths are long and a terminal may be narrow: every error line, and
    # the path in it a user copies, stays on one line whatever the width.
    from graph_service.cli import app, console

    monkeypatch.setattr(console, "width", 40)
    deep = tmp_path / ("a-rather-long-folder-name-" * 4) / "bundle"
    deep.mkdir(parents=True)
    folder = write_bundle(deep, **_bad_files())
    res = CliRunner().invoke(app, ["load", str(folder)])
    assert res.exit_code == 1, res.output
    assert ("rejected roles.csv:2 [end_on] '2020-01-01': end_on 2020-01-01 is before start_on "
            "2021-01-01\n") in res.output
    missing = CliRunner().invoke(app, ["load", str(deep / "nowhere")])
    assert missing.exit_code == 2
    assert f"error: {deep / 'nowhere'}: not a folder\n" in missing.output


# -- the reporting department ----------------------------------------------------------------


def test_the_reporting_department_is_kept_in_provenance(graph, tmp_path):
    from graph_service.cli import app
    from loaders import BundleError

    dept = "郴州市市场监督管理局"
    files = base_files()
    files["regions"] = "code,name,parent_code,level\n431099,郴州高新区,431000,county\n"
    folder = write_bundle(tmp_path, **files)
    unnamed = load_bundle(graph, folder, dry_run=True)
    assert unnamed.department is None
    assert ("manifest.json", "department") in {(w.file, w.column) for w in unnamed.warnings}

    (folder / "manifest.json").write_text(json.dumps({"department": dept}, ensure_ascii=False), encoding="utf-8")
    result = load_bundle(graph, folder)
    assert result.ok and result.department == dept
    assert result.load_id != unnamed.load_id  # the department is part of the load id
    status, _, _ = graph.execute_query(query("testing/load_status"), load_id=result.load_id)
    assert status[0]["department"] == dept
    node_rows, _, _ = graph.execute_query(query("testing/graph_dump_nodes"))
    written = [r["props"] for r in node_rows if r["props"].get("src_load") == result.load_id]
    assert {label for r in node_rows if r["props"].get("src_load") == result.load_id for label in r["labels"]} == \
        {"Enterprise", "Person", "Record", "Authority", "Region"}
    assert {p.get("src_department") for p in written} == {dept}
    rel_rows, _, _ = graph.execute_query(query("testing/graph_dump_relationships"))
    facts = [r for r in rel_rows if r["type"] in ("HOLDS_ROLE", "HOLDS_SHARES")]
    assert facts and {r["props"].get("src_department") for r in facts} == {dept}

    # --department agrees with the manifest, or the load stops before writing anything.
    assert load_bundle(graph, folder, department=f" {dept} ", dry_run=True).load_id == result.load_id
    with pytest.raises(BundleError, match=r"differs from manifest\.json's department"):
        load_bundle(graph, folder, department="郴州市交通运输局")
    res = CliRunner().invoke(app, ["load", str(folder), "--department", "郴州市交通运输局"])
    assert res.exit_code == 2 and "differs from manifest.json's department '郴州市市场监督管理局'" in res.output
    (folder / "manifest.json").write_text('{"department": "a\\u0000b"}', encoding="utf-8")
    res = CliRunner().invoke(app, ["load", str(folder)])
    assert res.exit_code == 2 and "manifest.json: control character U+0000" in res.output
