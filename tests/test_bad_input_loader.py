"""A corpus of bad input for the bundle loader (issue 15): each case is a clean small bundle with one
defect (a row, a cell, a header or a whole file) and what the loader must say about it: file,
line, column and reason, or a whole file rejected with the encoding found.

Checked through `check_bundle`, the loader's validation pass without Neo4j (the graph taken as
empty), so the corpus runs in seconds; the few end-to-end cases at the bottom go through the
command line and a real Neo4j, and show that a bad bundle loaded after a good one loses nothing.
"""

from __future__ import annotations

import codecs
import json
import random
from dataclasses import dataclass

import pytest
from loader_bundles import (
    C_HEADER,
    E_HEADER,
    P_HEADER,
    R_HEADER,
    S_HEADER,
    dump_graph,
    rid,
    uscc,
    write_bundle,
)
from typer.testing import CliRunner

from graph_service import settings as settings_module
from loaders import check_bundle, load_bundle

E = [uscc(i) for i in range(1, 4)]
P = [rid(i) for i in range(1, 4)]  # born 1980-01-01
YOUNG = rid(7, birth="20000301")  # turns 16 on 2016-03-01
HEADERS = {"enterprises": E_HEADER, "persons": P_HEADER, "roles": R_HEADER, "shareholdings": S_HEADER,
           "records": C_HEADER}
REQUIRED = {
    "enterprises": ("uscc", "name"),
    "persons": ("person_id", "name"),
    "roles": ("person_id", "uscc", "role"),
    "shareholdings": ("holder_id", "holder_kind", "uscc", "ratio"),
    "records": ("record_id", "subject_kind", "subject_id", "kind", "authority", "authority_region", "decided_on"),
}
GOOD = {
    "enterprises": [f"{E[0]},郴州建材有限公司,enterprise,,active,2010-03-01,1000,3021,郴州市北湖区人民路1号",
                    f"{E[1]},郴州控股有限公司,,,,2008-01-01,5000.5,,"],
    "persons": [f"{P[0]},resident_id,张三,", f"{P[1]},,李四,", "E12345678,passport,John Smith,",
                f"{YOUNG},,赵六,"],
    "roles": [f"{P[0]},{E[0]},legal_representative,执行董事,2010-03-01,2022-06-30",
              f"{P[1]},{E[1]},actual_controller,,,",
              f"{YOUNG},{E[1]},supervisor,监事,2016-03-01,"],
    "shareholdings": [f"{E[1]},enterprise,{E[0]},0.6,600,2010-03-01,",
                      f"{P[0]},person,{E[0]},0.4,400,2010-03-01,"],
    "records": [f"CZ-2023-001,enterprise,{E[0]},black,health_safety,,郴州市住房和城乡建设局,431000,"
                f"郴建罚〔2023〕1号,2022-05-01,2023-03-01,2023-03-05,,《建设工程质量管理条例》,{P[0]}",
                f"CZ-2023-002,person,{P[1]},penalty,运输违规,,郴州市交通运输局,431000,,,2023-04-01,,,,"],
}
# The line a row appended to a file lands on (header = 1).
NEXT = {stem: len(rows) + 2 for stem, rows in GOOD.items()}


@dataclass(frozen=True)
class Case:
    id: str
    files: dict  # stem -> text (str) or bytes replacing the clean file
    file: str
    line: int | None
    column: str | None
    reason: str  # a part of the reason
    level: str = "error"
    alone: bool = False  # the file is the whole bundle (its defect would leave the others' references dangling)


def bundle_text(stem: str, *extra: str, header: str | None = None, rows: list[str] | None = None) -> str:
    return "\n".join([header or HEADERS[stem], *(GOOD[stem] if rows is None else rows), *extra]) + "\n"


CASES: list[Case] = []


def add(id: str, stem: str, row: str, column: str | None, reason: str, *, level: str = "error",
        line: int | None = None) -> None:
    """A case: ``row`` appended to the clean ``stem``.csv."""
    CASES.append(Case(id, {stem: bundle_text(stem, row)}, f"{stem}.csv",
                      NEXT[stem] if line is None else line, column, reason, level))


def file_case(id: str, stem: str, content: str | bytes, line: int | None, column: str | None, reason: str) -> None:
    """A case: ``stem``.csv alone in the bundle, as ``content``."""
    CASES.append(Case(id, {stem: content}, f"{stem}.csv", line, column, reason, alone=True))


def enterprise(uscc_: str = uscc(9), name: str = "新企业有限公司", kind: str = "", region: str = "",
               status: str = "", established: str = "", capital: str = "", industry: str = "",
               address: str = "") -> str:
    return ",".join([uscc_, name, kind, region, status, established, capital, industry, address])


def person(pid: str = rid(9), id_type: str = "", name: str = "王五", region: str = "") -> str:
    return ",".join([pid, id_type, name, region])


def role(pid: str = P[1], uscc_: str = E[0], role_: str = "director", title: str = "", start: str = "",
         end: str = "") -> str:
    return ",".join([pid, uscc_, role_, title, start, end])


def holding(holder: str = P[1], kind: str = "person", uscc_: str = E[1], ratio: str = "0.1",
            capital: str = "", start: str = "", end: str = "") -> str:
    return ",".join([holder, kind, uscc_, ratio, capital, start, end])


def record(rid_: str = "CZ-2024-009", subject_kind: str = "enterprise", subject: str = E[1],
           kind: str = "penalty", category: str = "违规", severity: str = "", authority: str = "郴州市市场监督管理局",
           region: str = "431000", doc: str = "", misconduct: str = "", decided: str = "2024-01-10",
           published: str = "", valid_until: str = "", basis: str = "", responsible: str = "") -> str:
    return ",".join([rid_, subject_kind, subject, kind, category, severity, authority, region, doc, misconduct,
                     decided, published, valid_until, basis, responsible])


def quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


# -- enterprises.csv: identifiers -----------------------------------------------------------------

_u = uscc(9)
add("uscc check character", "enterprises", enterprise(_u[:-1] + ("A" if _u[-1] != "A" else "B")), "uscc",
    "check character should be")
add("uscc 17 characters", "enterprises", enterprise(_u[:-1]), "uscc", "18 characters expected, got 17")
add("uscc 19 characters", "enterprises", enterprise(_u + "1"), "uscc", "18 characters expected, got 19")
for bad in "IOSVZ":
    add(f"uscc letter {bad}", "enterprises", enterprise(_u[:9] + bad + _u[10:]), "uscc",
        f"character {bad!r} at position 10 is not allowed in a USCC")
add("uscc authority 0", "enterprises", enterprise("0" + _u[1:]), "uscc", "registration authority code '0'")
add("uscc region part not digits", "enterprises", enterprise("91A31002MA0000009" + "0"), "uscc",
    "region part 'A31002' (positions 3-8) must be 6 digits")
add("uscc empty", "enterprises", enterprise(""), "uscc", "required value is empty")
add("uscc with a slash", "enterprises", enterprise("91431002MA00/0009X"), "uscc", "is not allowed in a USCC")

# -- enterprises.csv: text ------------------------------------------------------------------------

add("enterprise name empty", "enterprises", enterprise(name=""), "name", "required value is empty")
add("enterprise name blank", "enterprises", enterprise(name="   "), "name", "required value is empty")
add("enterprise name 201 characters", "enterprises", enterprise(name="企" * 201), "name",
    "201 characters, more than the maximum of 200 for name (CREDIT_GRAPH_TEXT_MAX_NAME)")
add("enterprise name 5,000 characters", "enterprises", enterprise(name="x" * 5000), "name",
    "5,000 characters, more than the maximum of 200 for name")
add("enterprise name with a line break", "enterprises", enterprise(name=quoted("郴州\n建材")), "name",
    "a line break is not allowed in name")
for code in (0x00, 0x01, 0x07, 0x08, 0x09, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F, 0x85, 0x9F):
    add(f"enterprise name with U+{code:04X}", "enterprises", enterprise(name=f"郴州{chr(code)}建材"), "name",
        f"control character U+{code:04X} at position 3 is not allowed")
add("address of 501 characters", "enterprises", enterprise(address="路" * 501), "address",
    "501 characters, more than the maximum of 500 for address (CREDIT_GRAPH_TEXT_MAX_ADDRESS)")
add("address of 1 MB", "enterprises", enterprise(address="A" * 1_000_000), "address",
    "1,000,000 characters, more than the maximum of 500 for address")
add("address with a NUL", "enterprises", enterprise(address="人民路\x001号"), "address",
    "control character U+0000 at position 4")
add("industry of 101 characters", "enterprises", enterprise(industry="3" * 101), "industry",
    "more than the maximum of 100 for industry (CREDIT_GRAPH_TEXT_MAX_SHORT)")
add("industry with a line break", "enterprises", enterprise(industry=quoted("30\n21")), "industry",
    "a line break is not allowed in industry")

# -- enterprises.csv: enum words, dates, numbers, regions -----------------------------------------

for word in ("closed", "active1", "吊销", "revoke", "deleted"):
    add(f"enterprise status {word}", "enterprises", enterprise(status=word), "status", "must be one of 'active'")
for word in ("company", "ngo", "个体"):
    add(f"enterprise kind {word}", "enterprises", enterprise(kind=word), "kind", "must be one of 'enterprise'")
for day in ("2012/01/01", "20120101", "2012-1-1", "01-01-2012", "yesterday", "2012-01-01T00:00", "0"):
    add(f"established_on {day}", "enterprises", enterprise(established=day), "established_on",
        "expected YYYY-MM-DD")
for day in ("2012-02-30", "2013-02-29", "2012-13-01", "2012-00-10"):
    add(f"established_on {day}", "enterprises", enterprise(established=day), "established_on", "not a real date")
for day in ("2999-01-01", "9999-12-31", "2200-06-30"):
    add(f"established_on {day}", "enterprises", enterprise(established=day), "established_on",
        f"{day} is later than")
for capital in ("-5", "abc", "1,0,0.5.5", "1e5"):
    add(f"registered_capital {capital}", "enterprises", enterprise(capital=quoted(capital)), "registered_capital",
        "negative" if capital == "-5" else "not a decimal number")
add("region code not in the table", "enterprises", enterprise(region="439999"), "region_code",
    "region code 439999 is not in the GB/T 2260 table")
for code in ("4310", "4310020", "43100A"):
    add(f"region code {code}", "enterprises", enterprise(region=code), "region_code", "must be 6 digits")
add("enterprise twice in the file", "enterprises", enterprise(E[0]), "uscc",
    "this enterprise appears more than once in the file", level="warning")

# -- persons.csv ------------------------------------------------------------------------------------

_p = rid(9)
add("citizen id check character", "persons", person(_p[:-1] + ("0" if _p[-1] != "0" else "1")), "person_id",
    "check character should be")
add("citizen id 17 characters", "persons", person(_p[:-1]), "person_id", "18 characters expected, got 17")
add("citizen id 15 digits, not a date", "persons", person("431002801301001"), "person_id",
    "birth date '19801301' (positions 7-12 of the first-generation 15-digit ID, century 19) is not a real date")
add("citizen id 15 characters, a letter", "persons", person("43100280010100X"), "person_id",
    "character 'X' at position 15 is not allowed in a first-generation 15-digit citizen ID")
add("citizen id letter inside", "persons", person(_p[:5] + "A" + _p[6:]), "person_id",
    "character 'A' at position 6 is not allowed in a citizen ID")
add("citizen id birth not a date", "persons", person(rid(9, birth="19801301")), "person_id", "is not a real date")
add("citizen id born in the future", "persons", person(rid(9, birth="20990101")), "person_id", "is in the future")
add("citizen id empty", "persons", person(""), "person_id", "required value is empty")
for pid, char in (("<script>alert(1)</script>", "<"), ("E1234/567", "/"), ("E1234 567", " "), ("E1234?67", "?"),
                  ("E12%2F34", "%"), ("E1234#5", "#"), ("'E12345'", "'"), ("E12345.6", "."), ("护照E123", "护")):
    add(f"passport {pid}", "persons", person(pid, "passport"), "person_id",
        f"character {char!r} at position {pid.upper().index(char.upper()) + 1} is not allowed in an id of type 'passport'")
for pid, char in (("HK/123", "/"), ("A B", " "), ("A<B>", "<"), ("X?1", "?"), ("id#1", "#"), ('A"B', '"')):
    add(f"other id {pid}", "persons", person(quoted(pid), "other"), "person_id",
        f"character {char!r} at position {pid.index(char) + 1} is not allowed in an id of type 'other'")
add("passport of 41 characters", "persons", person("E" * 41, "passport"), "person_id", "at most 40 characters")
add("passport with a NUL", "persons", person("E123\x00456", "passport"), "person_id",
    "control character U+0000 at position 5")
add("id type unknown", "persons", person("E777", "driving_licence"), "id_type", "must be one of 'resident_id'")
add("person name empty", "persons", person(name=""), "name", "required value is empty")
add("person name with a NUL", "persons", person(name="王\x00五"), "name", "control character U+0000 at position 2")
add("person name with an escape", "persons", person(name="王\x1b[31m五"), "name", "control character U+001B")
add("person name with a line break", "persons", person(name=quoted("王\r\n五")), "name",
    "a line break is not allowed in name")
add("person name 201 characters", "persons", person(name="王" * 201), "name", "more than the maximum of 200 for name")
add("person region code unknown", "persons", person(region="439999"), "region_code", "not in the GB/T 2260 table")
add("person twice in the file", "persons", person(P[0]), "person_id",
    "this person appears more than once in the file", level="warning")

# -- roles.csv --------------------------------------------------------------------------------------

add("role of an unknown person", "roles", role(rid(77)), "person_id",
    f"person {rid(77)} is neither in persons.csv nor already in the graph")
add("role of a 15-digit id, not a date", "roles", role("431002800230001"), "person_id",
    "birth date '19800230' (positions 7-12 of the first-generation 15-digit ID, century 19) is not a real date")
add("role of a 15-digit id of an unknown person", "roles", role("431002800101077"), "person_id",
    f"person {rid(77)} is neither in persons.csv nor already in the graph")
add("role in an unknown enterprise", "roles", role(uscc_=uscc(77)), "uscc",
    f"enterprise {uscc(77)} is neither in enterprises.csv nor already in the graph")
add("role uscc check character", "roles", role(uscc_=E[0][:-1] + ("A" if E[0][-1] != "A" else "B")), "uscc",
    "check character should be")
for word in ("ceo", "chairman", "法人", "legal representative"):
    add(f"role word {word}", "roles", role(role_=word), "role", "must be one of 'legal_representative'")
add("role ends before it starts", "roles", role(start="2021-01-01", end="2020-12-31"), "end_on",
    "end_on 2020-12-31 is before start_on 2021-01-01")
add("role starts before birth", "roles", role(start="1979-12-31"), "start_on",
    "start_on 1979-12-31 is before the person was born (1980-01-01")
add("role starts at 15", "roles", role(YOUNG, start="2016-02-29"), "start_on",
    "the role starts on 2016-02-29, before the person was 16 (born 2000-03-01")
add("role starts at 5", "roles", role(YOUNG, start="2005-06-01"), "start_on", "before the person was 16")
add("role without a start ends at 16", "roles", role(YOUNG, end="2016-03-01"), "end_on",
    "the role ends on 2016-03-01, before the person was 16")
add("role without a start ends before birth", "roles", role(end="1975-01-01"), "end_on",
    "end_on 1975-01-01 is before the person was born")
for column, value in (("start_on", "2999-01-01"), ("end_on", "2999-12-31"), ("start_on", "3000-01-01")):
    add(f"role {column} {value}", "roles", role(**{"start" if column == "start_on" else "end": value}), column,
        f"{value} is later than")
for day in ("2020/01/01", "2020.01.01", "2020-02-30"):
    add(f"role start_on {day}", "roles", role(start=day), "start_on", "date")
add("role title 101 characters", "roles", role(title="董" * 101), "title", "more than the maximum of 100 for title")
add("role title with a line break", "roles", role(title=quoted("董事\n长")), "title",
    "a line break is not allowed in title")
add("role title with a NUL", "roles", role(title="董\x00事"), "title", "control character U+0000")
add("role person_id empty", "roles", role(""), "person_id", "required value is empty")

# -- shareholdings.csv ------------------------------------------------------------------------------

for ratio in ("0", "1.2", "-0.1", "100"):
    add(f"ratio {ratio}", "shareholdings", holding(ratio=ratio), "ratio", "is outside (0, 1]")
for ratio in ("abc", "50%", "1/2"):
    add(f"ratio {ratio}", "shareholdings", holding(ratio=ratio), "ratio", "not a decimal number")
add("holdings above 100 %", "shareholdings", holding(P[1], uscc_=E[0], ratio="0.2", start="2011-01-01"), "ratio",
    f"holdings into {E[0]} would add up to 1.2 on 2011-01-01 (> 1)")
add("holder kind unknown", "shareholdings", holding(kind="company"), "holder_kind", "must be one of 'enterprise'")
add("holding by an unknown person", "shareholdings", holding(rid(78)), "holder_id",
    f"person {rid(78)} is neither in persons.csv")
add("holding by an unknown enterprise", "shareholdings", holding(uscc(78), "enterprise"), "holder_id",
    f"enterprise {uscc(78)} is neither in enterprises.csv")
add("holding into an unknown enterprise", "shareholdings", holding(uscc_=uscc(79)), "uscc",
    f"enterprise {uscc(79)} is neither in enterprises.csv")
add("holding ends before it starts", "shareholdings", holding(start="2021-01-01", end="2020-01-01"), "end_on",
    "is before start_on")
add("holding starts in 2999", "shareholdings", holding(start="2999-01-01"), "start_on", "2999-01-01 is later than")
add("holding ends in 2999", "shareholdings", holding(end="2999-01-01"), "end_on", "2999-01-01 is later than")
add("subscribed capital negative", "shareholdings", holding(capital="-1"), "subscribed_capital", "negative")
add("holder enterprise check character", "shareholdings",
    holding(E[0][:-1] + ("A" if E[0][-1] != "A" else "B"), "enterprise"), "holder_id", "check character should be")

# -- records.csv ------------------------------------------------------------------------------------

add("black record without a category", "records", record(kind="black", category=""), "category",
    "a black record needs one of the four categories")
for category in ("质量问题", "fraud", "health"):
    add(f"black record category {category}", "records", record(kind="black", category=category), "category",
        f"{category!r} is not one of them")
for word in ("blacklist", "warning", "黑名单"):
    add(f"record kind {word}", "records", record(kind=word), "kind", "must be one of 'black'")
add("record subject kind unknown", "records", record(subject_kind="company"), "subject_kind", "must be one of")
add("record about an unknown enterprise", "records", record(subject=uscc(80)), "subject_id",
    f"enterprise {uscc(80)} is neither in enterprises.csv")
add("record about an unknown person", "records", record(subject_kind="person", subject=rid(80)), "subject_id",
    f"person {rid(80)} is neither in persons.csv")
add("record naming an unknown responsible person", "records", record(responsible=f"{P[0]};{rid(81)}"),
    "responsible_person_ids", f"person {rid(81)} is neither in persons.csv")
add("record naming a malformed 15-digit id", "records", record(responsible=f"{P[0]};431002801301001"),
    "responsible_person_ids", "birth date '19801301' (positions 7-12 of the first-generation 15-digit ID")
add("record about a malformed 15-digit id", "records", record(subject_kind="person", subject="431002801232001"),
    "subject_id", "birth date '19801232' (positions 7-12 of the first-generation 15-digit ID")
add("holding of a malformed 15-digit id", "shareholdings", holding("431002809901001"), "holder_id",
    "birth date '19809901'")
add("record severity unknown", "records", record(severity="grave"), "severity", "must be one of 'minor'")
add("record decided_on missing", "records", record(decided=""), "decided_on", "required value is empty")
add("record decided_on not a date", "records", record(decided="2024/01/10"), "decided_on", "expected YYYY-MM-DD")
for column, kwargs in (("decided_on", {"decided": "2999-01-01"}),
                       ("valid_until", {"valid_until": "2999-01-01"}),
                       ("published_on", {"published": "2999-01-01"}),
                       ("valid_until", {"valid_until": "9999-12-31"})):
    add(f"record {column} {next(iter(kwargs.values()))}", "records", record(**kwargs), column, "is later than")
add("record valid_until before decided_on", "records", record(valid_until="2023-01-01"), "valid_until",
    "valid_until 2023-01-01 is before decided_on 2024-01-10")
add("record misconduct after decision", "records", record(misconduct="2024-02-01"), "misconduct_on",
    "misconduct_on 2024-02-01 is after decided_on 2024-01-10")
add("record published before decision", "records", record(published="2023-12-01"), "published_on",
    "published_on 2023-12-01 is before decided_on 2024-01-10")
add("record authority empty", "records", record(authority=""), "authority", "required value is empty")
add("record authority 201 characters", "records", record(authority="局" * 201), "authority",
    "more than the maximum of 200 for authority")
add("record authority with a NUL", "records", record(authority="郴州\x00局"), "authority", "control character U+0000")
add("record authority region unknown", "records", record(region="439999"), "authority_region",
    "not in the GB/T 2260 table")
add("record document number 101 characters", "records", record(doc="号" * 101), "document_no",
    "more than the maximum of 100 for document_no")
add("record category 101 characters", "records", record(category="类" * 101), "category",
    "more than the maximum of 100 for category")
add("record legal basis 4,001 characters", "records", record(basis="法" * 4001), "legal_basis",
    "4,001 characters, more than the maximum of 4,000 for legal_basis (CREDIT_GRAPH_TEXT_MAX_LONG)")
add("record legal basis of 1 MB", "records", record(basis="法" * 1_000_000), "legal_basis",
    "1,000,000 characters, more than the maximum of 4,000 for legal_basis")
add("record legal basis with a NUL", "records", record(basis="第一\x00条"), "legal_basis", "control character U+0000")
for rec_id, char in (("CZ/2024/9", "/"), ("<script>alert(1)</script>", "<"), ("CZ 2024", " "), ("CZ?9", "?"),
                     ("CZ#9", "#"), ("CZ%2F9", "%")):
    add(f"record id {rec_id}", "records", record(rid_=rec_id), "record_id",
        f"character {char!r} at position {rec_id.upper().index(char.upper()) + 1} is not allowed in a record id")
add("record id of 65 characters", "records", record(rid_="R" * 65), "record_id", "at most 64 characters expected")
add("record id empty", "records", record(rid_=""), "record_id", "required value is empty")
add("record twice in the file", "records", record(rid_="CZ-2023-002"), "record_id",
    "this record appears more than once in the file", level="warning")

# -- rows that are not rows -------------------------------------------------------------------------

add("row with too many fields", "persons", person() + ",extra", None, "row has 5 fields, the header has 4")
add("row with too few fields", "persons", f"{rid(9)},,王五", None, "row has 3 fields, the header has 4")
add("broken quoting", "persons", f'{rid(9)},,"王"五,', None, "CSV syntax error")
CASES.append(Case("bytes that are not UTF-8 in one row",
                  {"persons": bundle_text("persons").encode() + f"{rid(9)},,".encode() + b"\xff\xfe,\n"},
                  "persons.csv", NEXT["persons"], "name", "not valid UTF-8"))

# -- whole files ------------------------------------------------------------------------------------

for stem, columns in REQUIRED.items():
    names = HEADERS[stem].split(",")
    for column in columns:
        keep = [i for i, c in enumerate(names) if c != column]
        rows = [",".join(r.split(",")[i] for i in keep) for r in GOOD[stem]]
        file_case(f"{stem} without column {column}", stem,
                  bundle_text(stem, header=",".join(names[i] for i in keep), rows=rows), 1, column,
                  f"required column {column!r} is missing: the whole file is rejected ({len(rows)} rows)")
file_case("duplicate column", "persons", bundle_text("persons", header=P_HEADER + ",name",
                                                     rows=[r + ",x" for r in GOOD["persons"]]),
          1, "name", "column 'name' appears more than once in the header")
file_case("empty file", "persons", "", 1, None, "the file is empty: a header row is required")
file_case("header with a bad quote", "persons", 'person_id,"name\nx,y\n', 1, None, "header row: CSV syntax error")

_text = bundle_text("persons")
for encoding, name, mark in (("utf-16", "UTF-16 LE", "FF FE"), ("utf-16-be", "UTF-16 BE", None),
                             ("utf-32", "UTF-32 LE", "FF FE 00 00"), ("utf-32-be", "UTF-32 BE", None)):
    data = (codecs.BOM_UTF16_BE + _text.encode(encoding)) if encoding == "utf-16-be" else _text.encode(encoding)
    if encoding == "utf-32-be":
        data = codecs.BOM_UTF32_BE + _text.encode(encoding)
    mark = mark or ("FE FF" if encoding == "utf-16-be" else "00 00 FE FF")
    file_case(f"persons.csv in {name}", "persons", data, None, None,
              f"the file is {name} (byte order mark {mark}), not UTF-8: save it as UTF-8; the whole file is rejected")
for encoding, name in (("utf-16-le", "UTF-16 LE"), ("utf-16-be", "UTF-16 BE"), ("utf-32-le", "UTF-32 LE")):
    file_case(f"persons.csv in {name} without a byte order mark", "persons", _text.encode(encoding), None, None,
              f"the file looks like {name} without a byte order mark, not UTF-8")
for stem in ("persons", "enterprises", "records"):
    file_case(f"{stem}.csv in GBK", stem, bundle_text(stem).encode("gbk", errors="replace"), None, None,
              "the file looks like GB18030/GBK (GB2312), not UTF-8")
file_case("enterprises.csv in GB18030", "enterprises", bundle_text("enterprises").encode("gb18030"), None, None,
          "looks like GB18030/GBK")
_rnd = random.Random(15)
for n in (64, 4096, 100_000):
    file_case(f"random bytes ({n})", "persons", bytes(_rnd.randrange(256) for _ in range(n)), None, None,
              "the file is not text (binary data")
file_case("a zip archive", "roles", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(_rnd.randrange(256) for _ in range(3000)),
          None, None, "the file is not text")
file_case("Latin-1", "persons", "person_id,id_type,name,region_code\nE1,passport,José Müller,\nE2,passport,Zoë,\n"
          .encode("latin-1"), None, None, "the file is not UTF-8: ")


def test_the_corpus_is_large():
    assert len(CASES) >= 150, len(CASES)
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(tmp_path, case: Case):
    files = {} if case.alone else {stem: bundle_text(stem) for stem in GOOD}
    files.update({k: v for k, v in case.files.items() if isinstance(v, str)})
    folder = write_bundle(tmp_path, **files)
    for stem, content in case.files.items():
        if isinstance(content, bytes):
            (folder / f"{stem}.csv").write_bytes(content)
    (folder / "manifest.json").write_text('{"department": "郴州市市场监督管理局"}', encoding="utf-8")

    result = check_bundle(folder)

    issues = result.rejections if case.level == "error" else result.warnings
    matching = [i for i in issues if (i.file, i.line, i.column) == (case.file, case.line, case.column)
                and case.reason in i.reason]
    assert matching, [str(i) for i in issues]
    issue = matching[0]
    if case.level == "warning":
        assert result.rejections == [], [str(i) for i in result.rejections]
        return
    # The defect, and only it, is rejected: one issue, and the other rows of every file pass.
    assert len(result.rejections) == 1, [str(i) for i in result.rejections]
    assert not result.ok
    counts = result.files[case.file]
    if case.line is None:  # a file that cannot be read: rejected whole, named, no row counted
        assert result.failed_files == [case.file]
        assert counts.read == 0 and counts.file_error in issue.reason
    elif case.line == 1 and counts.read and counts.rejected == counts.read:
        assert counts.loaded == 0  # a header defect rejects every row of the file
    elif case.line == 1:
        assert result.failed_files == [case.file]
    else:
        assert counts.rejected == 1 and counts.loaded == counts.read - 1
    for name, c in result.files.items():
        if name != case.file:
            assert (c.rejected, c.loaded) == (0, c.read), name
    # Shown on one line, as the terminal and the JSON report give it.
    assert "\n" not in str(issue).replace("\\n", "") or case.column is None
    json.loads(issue.to_json())


def test_the_clean_bundle_of_the_corpus_passes(tmp_path):
    folder = write_bundle(tmp_path, **{stem: bundle_text(stem) for stem in GOOD})
    result = check_bundle(folder, department="郴州市市场监督管理局")
    assert result.ok and result.rejections == [], [str(i) for i in result.rejections]
    assert result.department == "郴州市市场监督管理局"
    assert {n: c.read for n, c in result.files.items()} == {f"{s}.csv": len(r) for s, r in GOOD.items()}


def test_the_date_horizon_is_a_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("CREDIT_GRAPH_DATE_HORIZON_YEARS", "1")
    settings_module.service_settings.cache_clear()
    try:
        files = {stem: bundle_text(stem) for stem in GOOD}
        files["records"] = bundle_text("records", record(published="2090-01-01"))
        folder = write_bundle(tmp_path, **files)
        result = check_bundle(folder)
        assert [(i.file, i.line, i.column) for i in result.rejections] == [("records.csv", 4, "published_on")]
        assert "(CREDIT_GRAPH_DATE_HORIZON_YEARS=1)" in result.rejections[0].reason
    finally:
        monkeypatch.delenv("CREDIT_GRAPH_DATE_HORIZON_YEARS")
        settings_module.service_settings.cache_clear()


def test_text_maxima_are_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("CREDIT_GRAPH_TEXT_MAX_NAME", "3")
    settings_module.service_settings.cache_clear()
    try:
        folder = write_bundle(tmp_path, persons=bundle_text("persons", rows=[f"{P[0]},,张三,", f"{P[1]},,欧阳小明,"]))
        result = check_bundle(folder)
        assert [(i.line, i.column) for i in result.rejections] == [(3, "name")]
        assert "4 characters, more than the maximum of 3 for name (CREDIT_GRAPH_TEXT_MAX_NAME)" in \
            result.rejections[0].reason
    finally:
        monkeypatch.delenv("CREDIT_GRAPH_TEXT_MAX_NAME")
        settings_module.service_settings.cache_clear()


# -- end to end: the command line and a real Neo4j ------------------------------------------------


def test_cli_an_undecodable_file_exits_non_zero_and_loses_nothing(graph, tmp_path):
    """A good bundle, then a bad one (persons.csv in UTF-16, enterprises.csv random bytes, a NUL in
    a role's title, a passport with a slash): the command names each file and its encoding and
    exits 1, the bad rows are not written, and what the first load stored is all still there."""
    from graph_service.cli import app

    good = write_bundle(tmp_path, "good", **{stem: bundle_text(stem) for stem in GOOD})
    first = CliRunner().invoke(app, ["load", str(good), "--department", "郴州市市场监督管理局"])
    assert first.exit_code == 0, first.output
    before = dump_graph(graph)

    bad = write_bundle(tmp_path, "bad", roles=bundle_text("roles", role(title="董\x00事")),
                       records=bundle_text("records", record(rid_="<script>alert(1)</script>")))
    (bad / "persons.csv").write_bytes(bundle_text("persons", person("A/B", "passport")).encode("utf-16"))
    (bad / "enterprises.csv").write_bytes(random.Random(7).randbytes(2000))
    report = tmp_path / "report.jsonl"
    res = CliRunner().invoke(app, ["load", str(bad), "--report", str(report), "--department", "郴州市市场监督管理局"])

    assert res.exit_code == 1, res.output
    assert ("rejected persons.csv: the file is UTF-16 LE (byte order mark FF FE), not UTF-8: save it as UTF-8; "
            "the whole file is rejected") in res.output
    assert "rejected enterprises.csv: the file is not text (binary data" in res.output
    assert "missing" not in res.output  # not read as a file of garbled column names
    assert "2 files not read (enterprises.csv, persons.csv)" in res.output
    errors = [json.loads(x) for x in report.read_text(encoding="utf-8").splitlines()]
    assert [(e["file"], e["line"], e["column"]) for e in errors if e["level"] == "error"] == [
        ("enterprises.csv", None, None), ("persons.csv", None, None), ("roles.csv", 5, "title"),
        ("records.csv", 4, "record_id")]
    assert dump_graph(graph) == before


def test_strict_writes_nothing_when_a_file_cannot_be_read(graph, tmp_path):
    folder = write_bundle(tmp_path, **{stem: bundle_text(stem) for stem in GOOD})
    (folder / "records.csv").write_bytes(bundle_text("records").encode("utf-16"))
    before = dump_graph(graph)
    result = load_bundle(graph, folder, strict=True)
    # No row was rejected, but a file was: --strict writes nothing (it wrote all but records.csv).
    assert result.rejected == 0 and result.failed_files == ["records.csv"]
    assert not result.written and dump_graph(graph) == before
