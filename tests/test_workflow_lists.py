"""Published lists, green channel and 7-day publication on the real Neo4j (issue 5 items 5-7)."""

from __future__ import annotations

from datetime import date

import pytest
from workflow_fixtures import read, record_row, regions, resident_id, seed, uscc, write

from graph_service.workflow import lists, objections, publication, redlist, repair
from graph_service.workflow.records import InvalidInput
from graph_service.workflow.store import NotFound

E1, E2, E3, E4 = uscc(21), uscc(22), uscc(23, "431021"), uscc(24)
P1 = resident_id(21)
CITY, BEIHU, GUIYANG = "431000", "431002", "431021"
ALL_MET = {c: True for c in repair.condition_names()}


@pytest.fixture
def listed(graph):
    regions(graph)
    seed(graph,
         enterprises=[
             {"uscc": E1, "name": "郴州甲食品有限公司", "region_code": BEIHU, "established_on": "2010-05-01"},
             {"uscc": E2, "name": "郴州乙诚信有限公司", "region_code": BEIHU, "established_on": "2012-01-01"},
             {"uscc": E3, "name": "桂阳丙建设有限公司", "region_code": GUIYANG, "established_on": "2015-01-01"},
             {"uscc": E4, "name": "郴州丁新设有限公司", "region_code": BEIHU, "established_on": "2024-02-01"},
         ],
         persons=[{"person_id": P1, "name": "李大明"}],
         roles=[{"person_id": P1, "uscc": E1, "role": "legal_representative", "start_on": "2015-01-01"},
                {"person_id": P1, "uscc": E2, "role": "legal_representative", "start_on": "2015-01-01"}],
         records=[
             # City authority, E1, black: makes P1 liable, so E2 loses its red listing on 2025-09-01.
             record_row("B-CITY", E1, decided_on="2025-09-01", authority_region=CITY),
             # County authority (Guiyang), E3, market order.
             record_row("B-GY", E3, decided_on="2025-06-10", category="market_social_order",
                        authority="桂阳县税务局", authority_region=GUIYANG),
             # Expired before the day asked.
             record_row("B-OLD", E3, decided_on="2020-01-10", valid_until="2021-01-09", authority_region=GUIYANG,
                        authority="桂阳县税务局"),
             record_row("R-E2", E2, kind="red", category="纳税信用A级", decided_on="2024-01-01",
                        authority="郴州市税务局"),
             record_row("P-E3", E3, kind="penalty", category="环境", decided_on="2021-03-01",
                        valid_until="2022-03-01", authority="桂阳县生态环境局", authority_region=GUIYANG),
         ])
    return graph


def _list(graph, kind, as_of, **kw):
    return read(graph, lambda: lists.listed(kind, as_of=as_of, **kw))


def ids(page):
    return [r["record_id"] for r in page[0]]


def test_black_list_by_region_category_and_day(listed):
    g = listed
    assert ids(_list(g, "black", date(2025, 10, 1))) == ["B-CITY", "B-GY"]
    assert ids(_list(g, "black", date(2020, 6, 1))) == ["B-OLD"]
    assert ids(_list(g, "black", date(2025, 10, 1), region_code=GUIYANG)) == ["B-GY"]
    assert ids(_list(g, "black", date(2025, 10, 1), region_code=CITY)) == ["B-CITY", "B-GY"]  # sub-regions
    assert ids(_list(g, "black", date(2025, 10, 1), region_code=BEIHU)) == []  # no Beihu authority
    assert ids(_list(g, "black", date(2025, 10, 1), region_code=BEIHU, by="subject")) == ["B-CITY"]
    assert ids(_list(g, "black", date(2025, 10, 1), category="market_social_order")) == ["B-GY"]
    items, total = _list(g, "black", date(2025, 10, 1), skip=1, limit=1)
    assert total == 2 and [r["record_id"] for r in items] == ["B-GY"]
    row = _list(g, "black", date(2025, 10, 1), region_code=GUIYANG)[0][0]
    assert row["subject_name"] == "桂阳丙建设有限公司" and row["authority_name"] == "桂阳县税务局"
    with pytest.raises(InvalidInput):
        _list(g, "penalty", date(2025, 10, 1))


def test_suspended_and_repaired_records_leave_the_list(listed):
    g = listed
    o = write(g, lambda: objections.file_objection("B-GY", notice_on=date(2025, 10, 10), filed_by="subject",
                                                   actor="platform", now=date(2025, 10, 10)))
    assert ids(_list(g, "black", date(2025, 10, 9))) == ["B-CITY", "B-GY"]
    assert ids(_list(g, "black", date(2025, 10, 10))) == ["B-CITY"]
    write(g, lambda: objections.resolve_objection(o.objection_id, outcome="upheld", actor="d",
                                                  on=date(2025, 10, 20)))
    assert ids(_list(g, "black", date(2025, 10, 20))) == ["B-CITY", "B-GY"]
    d = write(g, lambda: repair.request_repair("B-GY", requested_on=date(2026, 7, 1), conditions=ALL_MET,
                                               actor="d", now=date(2026, 7, 1)))
    assert d.accepted
    assert ids(_list(g, "black", date(2026, 6, 30))) == ["B-CITY", "B-GY"]
    assert ids(_list(g, "black", date(2026, 7, 1))) == ["B-CITY"]


def test_red_list_exit_when_the_legal_representative_becomes_liable(listed):
    g = listed
    assert ids(_list(g, "red", date(2025, 8, 31))) == ["R-E2"]
    assert ids(_list(g, "red", date(2025, 9, 1))) == []
    gc = read(g, lambda: redlist.green_channel(E2, date(2025, 8, 31)))
    assert gc.eligible and gc.basis == ["red_list", "three_years_clean"] and gc.red_records == ["R-E2"]


def test_green_channel_three_clean_years(listed):
    g = listed
    # E3's penalty ran [2021-03-01, 2022-03-02); then B-GY from 2025-06-10.
    gc = read(g, lambda: redlist.green_channel(E3, date(2025, 3, 1)))
    assert not gc.eligible and gc.clean_since == date(2022, 3, 2) and gc.eligible_from == date(2025, 3, 2)
    assert [b["record_id"] for b in gc.blocking] == ["P-E3"]
    gc = read(g, lambda: redlist.green_channel(E3, date(2025, 3, 2)))
    assert gc.eligible and gc.basis == ["three_years_clean"]
    gc = read(g, lambda: redlist.green_channel(E3, date(2025, 7, 1)))
    assert not gc.eligible and gc.clean_since is None and gc.eligible_from is None
    # P1 has E1's black record in his personal credit record (item 15).
    gc = read(g, lambda: redlist.green_channel(P1, date(2025, 10, 1)))
    assert not gc.eligible
    assert [(b["record_id"], b["via"].split(" ")[0]) for b in gc.blocking] == [("B-CITY", "personal_record")]
    assert read(g, lambda: redlist.green_channel(P1, date(2025, 8, 31))).eligible
    # Too young an enterprise has not had three years.
    gc = read(g, lambda: redlist.green_channel(E4, date(2026, 1, 1)))
    assert not gc.eligible and "established on 2024-02-01" in gc.notes[0]
    assert read(g, lambda: redlist.green_channel(E4, date(2027, 2, 1))).eligible
    with pytest.raises(NotFound):
        read(g, lambda: redlist.green_channel(uscc(99), date(2026, 1, 1)))


def test_revoked_record_never_counts(listed):
    g = listed
    o = write(g, lambda: objections.file_objection("B-GY", notice_on=date(2025, 6, 20), filed_by="subject",
                                                   actor="platform", now=date(2025, 6, 20)))
    gc = read(g, lambda: redlist.green_channel(E3, date(2025, 7, 1)))
    assert not gc.eligible  # the days before the notice still count
    write(g, lambda: objections.resolve_objection(o.objection_id, outcome="revoked", actor="d",
                                                  on=date(2025, 7, 10)))
    gc = read(g, lambda: redlist.green_channel(E3, date(2025, 7, 1)))
    assert gc.eligible and gc.basis == ["three_years_clean"]


def test_publication_report_counts_by_authority(listed):
    g = listed
    rep = read(g, lambda: publication.report(as_of=date(2025, 10, 1), date_from=date(2025, 1, 1),
                                             date_to=date(2025, 12, 31)))
    # None of the 2025 records carries published_on: both past their deadline on Oct 1.
    assert {p.record_id for p in rep.flagged} == {"B-CITY", "B-GY"}
    assert rep.counts[f"{GUIYANG}:桂阳县税务局"]["unpublished_overdue"] == 1
    assert rep.counts[f"{CITY}:郴州市市场监督管理局"]["total"] == 1
    only = read(g, lambda: publication.report(as_of=date(2025, 10, 1), date_from=date(2025, 1, 1),
                                              date_to=date(2025, 12, 31), region_code=GUIYANG))
    assert list(only.counts) == [f"{GUIYANG}:桂阳县税务局"]
