"""Issue 20: the two liability rules seen through every answer that depends on them, not only checks:
network flags (the court rule's holder of the decision date) and the red list (a legal
representative black-listed in his own name). The transactional load and `load --initial` agree
on the demo (tests/test_initial_import.py compares every liability)."""

from __future__ import annotations

from datetime import date

from api_demo import E03, P08, P09, TODAY, admin, api, demo_app
from workflow_fixtures import read, record_row, regions, resident_id, seed, uscc

from graph_service.workflow import lists, redlist

B0002 = "HN431003-2026-B0002"


def test_network_flags_keep_the_former_legal_representative_restricted(api, admin):
    c, _ = api
    r = c.get(f"/v1/subjects/{E03}/network", headers=admin, params={"as_of": TODAY, "history": "true"})
    assert r.status_code == 200, r.text
    flags = {n["id"]: n["flags"] for n in r.json()["nodes"]}
    # P09 left on 2026-06-01, after the listing on 2026-03-10: still restricted today.
    assert B0002 in flags[P09]["liable_records"] and "flight" in flags[P09]["restricted_actions"]
    assert B0002 in flags[P08]["liable_records"] and "flight" in flags[P08]["restricted_actions"]


E1, E2 = uscc(61), uscc(62)
P1 = resident_id(61)


def test_the_red_list_drops_an_enterprise_whose_legal_representative_is_black_listed_himself(graph):
    regions(graph)
    seed(graph,
         enterprises=[{"uscc": E2, "name": "郴州乙诚信有限公司", "region_code": "431002", "established_on": "2012-01-01"}],
         persons=[{"person_id": P1, "name": "李大明"}],
         roles=[{"person_id": P1, "uscc": E2, "role": "legal_representative", "start_on": "2015-01-01"}],
         records=[record_row("R-E2", E2, kind="red", category="纳税信用A级", decided_on="2024-01-01",
                             authority="郴州市税务局"),
                  record_row("B-P1", P1, subject_kind="person", category="market_social_order",
                             decided_on="2025-09-01", valid_until="2026-08-31")])
    red = lambda d: [r["record_id"] for r in read(graph, lambda: lists.listed("red", as_of=d))[0]]  # noqa: E731
    assert red(date(2025, 8, 31)) == ["R-E2"]
    assert red(date(2025, 9, 1)) == []
    assert red(date(2026, 10, 1)) == []  # final: the person's record ending does not bring it back
    assert read(graph, lambda: redlist.green_channel(E2, date(2025, 8, 31))).red_records == ["R-E2"]
    assert read(graph, lambda: redlist.green_channel(E2, date(2025, 9, 1))).red_records == []
