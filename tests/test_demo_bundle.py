"""The hand-made Chenzhou demo bundle (loaders/demo): it parses, every id is valid and resolves, and
the files tell the stories of loaders/demo/README.md, the table other parts test against."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
from test_generate import (
    FILES,
    assert_bundle_consistent,
    assert_one_head_at_a_time,
    held_on,
    read_bundle,
)

DEMO = Path(__file__).resolve().parents[1] / "loaders" / "demo"
TODAY = date(2026, 11, 26)


def _readme_ids() -> dict[str, str]:
    """label -> id from the "Who is who" tables of the README."""
    text = (DEMO / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| ([EPH]\d+) \| `([^`]+)`", text, flags=re.M))


IDS = _readme_ids()


@pytest.fixture(scope="module")
def demo() -> dict:
    return assert_bundle_consistent(DEMO, TODAY)


def _roles(demo, who: str, where: str, role: str) -> list[dict]:
    return [r for r in demo["roles"] if r["person_id"] == IDS[who] and r["uscc"] == IDS[where] and r["role"] == role]


def _holder_on(demo, where: str, role: str, d: date) -> set[str]:
    return {r["person_id"] for r in demo["roles"] if r["uscc"] == IDS[where] and r["role"] == role and held_on(r, d)}


def _record(demo, record_id: str) -> dict:
    (row,) = [r for r in demo["records"] if r["record_id"] == record_id]
    return row


def _day(s: str) -> date:
    return date.fromisoformat(s)


def test_every_enterprise_has_one_legal_representative_at_a_time(demo):
    assert_one_head_at_a_time(demo)


def test_readme_names_every_enterprise_and_its_ids_exist(demo):
    usccs = {r["uscc"] for r in demo["enterprises"]}
    persons = {r["person_id"] for r in demo["persons"]}
    assert {v for k, v in IDS.items() if k[0] in "EH"} == usccs
    assert {v for k, v in IDS.items() if k[0] == "P"} <= persons
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(HN\d{6}-\d{4}-[BRP]\d{4})`", readme))
    assert documented == {r["record_id"] for r in demo["records"]}
    for name in FILES:
        assert (DEMO / f"{name}.csv").read_bytes().startswith(read_header(name))


def read_header(name: str) -> bytes:
    from bench.generate import HEADERS

    return (",".join(HEADERS[name]) + "\n").encode()


def test_demo_spans_chenzhou_counties_changsha_and_another_province(demo):
    regions = {r["region_code"] for r in demo["enterprises"]}
    assert len({c for c in regions if c.startswith("4310") and c != "431000"}) >= 6
    assert any(c.startswith("4301") for c in regions)
    assert any(not c.startswith("43") for c in regions)


def test_story_1_lr_changed_between_misconduct_and_decision(demo):
    rec = _record(demo, "HN431000-2026-B0001")
    assert rec["subject_id"] == IDS["E01"] and rec["kind"] == "black" and rec["category"] == "health_safety"
    misconduct, decided = _day(rec["misconduct_on"]), _day(rec["decided_on"])
    assert _holder_on(demo, "E01", "legal_representative", misconduct) == {IDS["P01"]}
    assert _holder_on(demo, "E01", "legal_representative", decided) == {IDS["P02"]}
    assert _holder_on(demo, "E01", "legal_representative", TODAY) == {IDS["P02"]}
    assert set(rec["responsible_person_ids"].split(";")) == {IDS["P03"], IDS["P07"]}
    assert IDS["P04"] in _holder_on(demo, "E01", "director", misconduct)        # director, not named
    assert IDS["P07"] in _holder_on(demo, "E01", "director", misconduct)        # director, named
    assert _holder_on(demo, "E01", "senior_executive", misconduct) == {IDS["P05"]}
    assert _roles(demo, "P03", "E01", "registered_practitioner")
    shareholder = [r for r in demo["shareholdings"] if r["holder_id"] == IDS["P06"]]
    assert shareholder and not [r for r in demo["roles"] if r["person_id"] == IDS["P06"]]
    # P01 still acts elsewhere: legal representative of E06 and E11 today
    assert IDS["P01"] in _holder_on(demo, "E06", "legal_representative", TODAY)
    assert IDS["P01"] in _holder_on(demo, "E11", "legal_representative", TODAY)
    # E01's subsidiary in another county
    assert any(r["holder_id"] == IDS["E01"] and r["uscc"] == IDS["E02"] for r in demo["shareholdings"])


def test_story_2_court_listed_debtor(demo):
    rec = _record(demo, "HN431003-2026-B0002")
    assert rec["subject_id"] == IDS["E03"] and rec["category"] == "defy_judicial_admin"
    assert rec["authority"].endswith("人民法院") and rec["authority_region"] == "431003"
    assert _holder_on(demo, "E03", "legal_representative", TODAY) == {IDS["P08"]}
    assert _holder_on(demo, "E03", "actual_controller", TODAY) == {IDS["P10"]}
    assert _holder_on(demo, "E03", "legal_representative", date(2026, 4, 1)) == {IDS["P09"]}
    assert _day(rec["decided_on"]) < date(2026, 6, 1) < TODAY


def test_story_3_listed_person_serving_as_director(demo):
    rec = _record(demo, "HN431023-2026-B0003")
    assert rec["subject_kind"] == "person" and rec["subject_id"] == IDS["P11"]
    assert rec["category"] == "defy_judicial_admin"
    assert IDS["P11"] in _holder_on(demo, "E04", "director", TODAY)
    (supervisor,) = _roles(demo, "P11", "E19", "supervisor")
    assert _day(supervisor["end_on"]) < _day(rec["decided_on"])


def integrated_ratios(rows: list[dict], d: date) -> dict[tuple[str, str], float]:
    """Integrated (look-through) ratio of every holder in every enterprise on day d: the sum over
    all holding paths, solved as x = direct + x·A by iteration (converges: cycles multiply < 1)."""
    direct: dict[tuple[str, str], float] = {}
    for r in rows:
        if held_on(r, d):
            direct[(r["holder_id"], r["uscc"])] = float(Decimal(r["ratio"]))
    x = dict(direct)
    for _ in range(500):
        nxt = dict(direct)
        for (h, mid), v in x.items():
            for (h2, e), w in direct.items():
                if h2 == mid:
                    nxt[(h, e)] = nxt.get((h, e), 0.0) + v * w
        if all(abs(nxt.get(k, 0) - x.get(k, 0)) < 1e-12 for k in set(nxt) | set(x)):
            return nxt
        x = nxt
    raise AssertionError("integrated ratios do not converge")


def test_story_4_chain_with_cycle_and_documented_integrated_ratios(demo):
    g = nx.DiGraph((r["holder_id"], r["uscc"]) for r in demo["shareholdings"] if held_on(r, TODAY))
    cycle = {IDS["H1"], IDS["H2"], IDS["H3"]}
    assert any(set(c) == cycle for c in nx.simple_cycles(g))
    assert nx.has_path(g, IDS["P12"], IDS["H4"])
    x = integrated_ratios(demo["shareholdings"], TODAY)
    expected = {
        ("P12", "H1"): 0.8 / 0.97, ("P12", "H2"): 0.48 / 0.97, ("P12", "H3"): 0.24 / 0.97,
        ("P12", "H4"): 0.096 / 0.97, ("P12", "E03"): 0.096 / 0.97,
        ("P13", "H1"): 0.07 / 0.97, ("P13", "H2"): 0.43 / 0.97, ("P13", "H3"): 0.215 / 0.97,
        ("P14", "H3"): 0.3 / 0.97,
    }
    for (who, where), value in expected.items():
        assert x[(IDS[who], IDS[where])] == pytest.approx(value, abs=1e-9), (who, where)
    assert x[(IDS["P12"], IDS["H3"])] < 0.25 < x[(IDS["P14"], IDS["H3"])]
    before = integrated_ratios(demo["shareholdings"], date(2019, 12, 31))
    assert before[(IDS["P12"], IDS["H3"])] == pytest.approx(0.24, abs=1e-12)


def test_story_5_6_red_lists(demo):
    r4 = _record(demo, "HN431026-2026-R0004")
    r5 = _record(demo, "HN430000-2025-R0005")
    b1 = _record(demo, "HN431000-2026-B0001")
    assert (r4["kind"], r4["subject_id"]) == ("red", IDS["E05"])
    assert (r5["kind"], r5["subject_id"]) == ("red", IDS["E06"])
    for rec in (r4, r5):
        assert _day(rec["decided_on"]) <= TODAY <= _day(rec["valid_until"])
    # E06 was red before B0001 was decided; its LR is the one liable for B0001
    assert _day(r5["decided_on"]) < date(2025, 12, 1) < _day(b1["decided_on"])
    assert _holder_on(demo, "E06", "legal_representative", TODAY) == \
        _holder_on(demo, "E01", "legal_representative", _day(b1["misconduct_on"])) == {IDS["P01"]}
    # E05's legal representative is clean
    (lr,) = _holder_on(demo, "E05", "legal_representative", TODAY)
    assert lr not in {r["subject_id"] for r in demo["records"]}
    assert all(lr not in r["responsible_person_ids"] for r in demo["records"])


def test_story_7_8_9_penalties_cross_region_and_expired(demo):
    penalties = {r["subject_id"] for r in demo["records"] if r["kind"] == "penalty"}
    assert {IDS["E07"], IDS["E09"]} <= penalties
    b7 = _record(demo, "HN440300-2026-B0007")
    assert b7["subject_id"] == IDS["E08"] and b7["authority_region"] == "440300"
    assert b7["responsible_person_ids"] == IDS["P16"]
    held_by_e08 = {r["uscc"] for r in demo["shareholdings"] if r["holder_id"] == IDS["E08"]}
    assert held_by_e08 == {IDS["E09"], IDS["E10"]}
    b9 = _record(demo, "HN431025-2022-B0009")
    assert _day(b9["valid_until"]) < TODAY
    assert _holder_on(demo, "E15", "legal_representative", _day(b9["misconduct_on"])) == {IDS["P24"]}
    # every other record is in force today
    for r in demo["records"]:
        if r["record_id"] != b9["record_id"]:
            assert _day(r["decided_on"]) <= TODAY and (not r["valid_until"] or _day(r["valid_until"]) >= TODAY)


def test_demo_bundle_loads_without_rejection(graph):
    from loaders import load_bundle

    counts = {name: len(rows) for name, rows in read_bundle(DEMO).items()}
    result = load_bundle(graph, DEMO)
    assert result.rejected == 0, [str(i) for i in result.rejections]
    assert not [w for w in result.warnings if w.file != "README.md"], [str(i) for i in result.warnings]
    for name in FILES:
        assert result.files[f"{name}.csv"].loaded == counts[name], name
