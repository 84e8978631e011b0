"""The synthetic bundle generator (issue 2, item 5): determinism, valid identifiers, consistent
references and dates, holdings never above 100 %, one legal representative at a time, and the
shape the issue asks for. The helpers at the top are shared with test_demo_bundle.py."""

from __future__ import annotations

import csv
import itertools
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest

from bench.generate import HEADERS, REFERENCE_DAY, generate_bundle
from graph_service import REPO_ROOT
from graph_service.identifiers import validate_person_id, validate_region_code, validate_uscc

FILES = tuple(HEADERS)
BLACK_CATEGORIES = {"health_safety", "market_social_order", "defy_judicial_admin", "national_defense"}
HEAD_ROLES = ("legal_representative", "principal")


def read_bundle(folder: Path) -> dict[str, list[dict[str, str]]]:
    out = {}
    for name in FILES:
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            assert reader.fieldnames == HEADERS[name], f"{name}.csv header"
            out[name] = list(reader)
    return out


def day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def held_on(row: dict[str, str], d: date) -> bool:
    start, end = day(row["start_on"]), day(row["end_on"])
    return (start is None or start <= d) and (end is None or d < end)


def assert_identifiers_valid(b: dict) -> None:
    """Every identifier passes the project's validators, without a single warning."""
    for row in b["enterprises"]:
        checked = validate_uscc(row["uscc"])
        assert checked.value == row["uscc"] and not checked.warnings, (row["uscc"], checked.warnings)
        assert row["region_code"] == row["uscc"][2:8]
        validate_region_code(row["region_code"])
    for row in b["persons"]:
        checked = validate_person_id(row["person_id"], row["id_type"])
        assert checked.value == row["person_id"] and not checked.warnings, (row["person_id"], checked.warnings)
        if row["region_code"]:
            validate_region_code(row["region_code"])
    for row in b["records"]:
        validate_region_code(row["authority_region"])


def assert_references_resolve(b: dict) -> None:
    usccs = [r["uscc"] for r in b["enterprises"]]
    persons = [r["person_id"] for r in b["persons"]]
    assert len(set(usccs)) == len(usccs) and len(set(persons)) == len(persons)
    usccs, persons = set(usccs), set(persons)
    role_keys = [(r["person_id"], r["uscc"], r["role"], r["start_on"]) for r in b["roles"]]
    assert len(set(role_keys)) == len(role_keys), "role keys (person|uscc|role|start_on) are unique"
    for r in b["roles"]:
        assert r["person_id"] in persons and r["uscc"] in usccs, r
    holding_keys = [(r["holder_id"], r["uscc"], r["start_on"]) for r in b["shareholdings"]]
    assert len(set(holding_keys)) == len(holding_keys), "holding keys (holder|uscc|start_on) are unique"
    for r in b["shareholdings"]:
        assert r["uscc"] in usccs, r
        assert r["holder_id"] in (usccs if r["holder_kind"] == "enterprise" else persons), r
        assert r["holder_id"] != r["uscc"]
    record_ids = [r["record_id"] for r in b["records"]]
    assert len(set(record_ids)) == len(record_ids)
    for r in b["records"]:
        assert r["subject_id"] in (usccs if r["subject_kind"] == "enterprise" else persons), r
        for p in filter(None, r["responsible_person_ids"].split(";")):
            assert p in persons, r


def assert_dates_consistent(b: dict, today: date) -> None:
    for name in ("roles", "shareholdings"):
        for r in b[name]:
            if r["start_on"] and r["end_on"]:
                assert day(r["start_on"]) <= day(r["end_on"]), r
    for r in b["records"]:
        decided = day(r["decided_on"])
        assert decided <= today, r
        if r["misconduct_on"]:
            assert day(r["misconduct_on"]) <= decided, r
        if r["published_on"]:
            assert decided <= day(r["published_on"]) <= today, r
        if r["valid_until"]:
            assert decided <= day(r["valid_until"]), r
        if r["kind"] == "black":
            assert r["category"] in BLACK_CATEGORIES, r
        assert r["kind"] in ("black", "red", "penalty"), r


def assert_holdings_at_most_one(b: dict) -> None:
    """At every date where a holding starts, the holdings into that enterprise sum to <= 1."""
    into = defaultdict(list)
    for r in b["shareholdings"]:
        ratio = Decimal(r["ratio"])
        assert 0 < ratio <= 1, r
        into[r["uscc"]].append(r)
    for uscc, rows in into.items():
        for probe in {day(r["start_on"]) or date.min for r in rows}:
            total = sum(Decimal(r["ratio"]) for r in rows if held_on(r, probe))
            assert total <= 1, (uscc, probe, total)


def assert_one_head_at_a_time(b: dict) -> None:
    """Each enterprise has its legal representative (an individual business: its operator,
    role principal) from its establishment on, one at a time, without gaps."""
    kinds = {r["uscc"]: r for r in b["enterprises"]}
    heads = defaultdict(list)
    for r in b["roles"]:
        head = "principal" if kinds[r["uscc"]]["kind"] == "individual_business" else "legal_representative"
        if r["role"] == head:
            heads[r["uscc"]].append((day(r["start_on"]), day(r["end_on"])))
    for uscc, ent in kinds.items():
        spans = sorted(heads[uscc], key=lambda s: s[0] or date.min)
        assert spans, f"{uscc} has no legal representative"
        assert spans[0][0] == day(ent["established_on"]), (uscc, spans)
        for (_, e1), (s2, _) in itertools.pairwise(spans):
            assert e1 is not None and e1 == s2, f"{uscc}: legal representatives overlap or leave a gap: {spans}"
        assert spans[-1][1] is None, (uscc, spans)


def assert_adults_in_roles(b: dict) -> None:
    """Nobody holds a role before turning 18 (birth date from the citizen ID)."""
    born = {r["person_id"]: date(int(r["person_id"][6:10]), int(r["person_id"][10:12]), int(r["person_id"][12:14]))
            for r in b["persons"] if r["id_type"] == "resident_id"}
    for r in b["roles"]:
        if r["person_id"] in born and r["start_on"]:
            start, birth = day(r["start_on"]), born[r["person_id"]]
            assert (start.year, start.month, start.day) >= (birth.year + 18, birth.month, birth.day), r


def assert_bundle_consistent(folder: Path, today: date = REFERENCE_DAY) -> dict:
    b = read_bundle(folder)
    assert_identifiers_valid(b)
    assert_references_resolve(b)
    assert_dates_consistent(b, today)
    assert_holdings_at_most_one(b)
    assert_adults_in_roles(b)
    return b


# --------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen300")
    generate_bundle(out, 300, seed=11)
    return out


@pytest.fixture(scope="module")
def medium(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("gen4000")
    counts = generate_bundle(out, 4000, seed=5)
    return out, counts


def test_same_seed_and_size_give_identical_bytes(tmp_path, small):
    counts = generate_bundle(tmp_path, 300, seed=11)
    for name in FILES:
        assert (tmp_path / f"{name}.csv").read_bytes() == (small / f"{name}.csv").read_bytes(), name
    assert counts["enterprises"] == 300


def test_another_seed_gives_another_bundle(tmp_path, small):
    generate_bundle(tmp_path, 300, seed=12)
    assert (tmp_path / "enterprises.csv").read_bytes() != (small / "enterprises.csv").read_bytes()
    assert (tmp_path / "persons.csv").read_bytes() != (small / "persons.csv").read_bytes()


def test_counts_match_the_files(medium):
    folder, counts = medium
    for name in FILES:
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            assert sum(1 for _ in csv.reader(fh)) - 1 == counts[name], name


def test_generated_bundle_is_consistent(medium):
    folder, _ = medium
    b = assert_bundle_consistent(folder)
    assert_one_head_at_a_time(b)


def test_people_are_adults_when_their_roles_begin(medium):
    assert_adults_in_roles(read_bundle(medium[0]))


def test_shape(medium):
    """The proportions issue 2 asks for, within sampling tolerance at 4,000 enterprises."""
    folder, counts = medium
    b = read_bundle(folder)
    n = counts["enterprises"]
    assert 0.6 * n <= counts["persons"] <= 0.8 * n

    by_kind = defaultdict(set)
    for r in b["records"]:
        if r["subject_kind"] == "enterprise":
            by_kind[r["kind"]].add(r["subject_id"])
    assert 0.013 <= len(by_kind["black"]) / n <= 0.027
    assert 0.005 <= len(by_kind["red"]) / n <= 0.016
    assert 0.04 <= len(by_kind["penalty"]) / n <= 0.06
    black = [r for r in b["records"] if r["kind"] == "black"]
    assert len({r["category"] for r in black}) >= 3
    assert any(r["responsible_person_ids"] for r in black), "some black records name responsible persons"
    assert any(r["subject_kind"] == "person" for r in black), "some persons are listed themselves"
    today = REFERENCE_DAY
    in_force = [r for r in black if r["decided_on"] >= "2025-01-01"]
    assert len(in_force) >= 0.7 * len(black)
    assert all(r["authority"].endswith("人民法院") and r["document_no"].startswith("（")
               for r in black if r["category"] == "defy_judicial_admin")

    # a heavy tail of enterprises per person: most in one or two, a few in dozens
    per_person = Counter()
    for key in {(r["person_id"], r["uscc"]) for r in b["roles"]}:
        per_person[key[0]] += 1
    few = sum(1 for v in per_person.values() if v <= 2)
    assert few >= 0.5 * len(per_person)
    assert max(per_person.values()) >= 20

    # legal representatives change over time for some
    lr_rows = Counter(r["uscc"] for r in b["roles"] if r["role"] == "legal_representative")
    assert 0.1 * n <= sum(1 for v in lr_rows.values() if v > 1) <= 0.3 * n
    assert any(r["role"] == "actual_controller" for r in b["roles"])
    assert today >= max(day(r["start_on"]) for r in b["roles"] if r["start_on"])


def test_group_chains_reach_six_levels_with_cycles_and_other_cities(medium):
    b = read_bundle(medium[0])
    est = {r["uscc"]: r["established_on"] for r in b["enterprises"]}
    region = {r["uscc"]: r["region_code"] for r in b["enterprises"]}
    g = nx.DiGraph()
    parent = {}
    for r in b["shareholdings"]:
        if r["holder_kind"] == "enterprise":
            g.add_edge(r["holder_id"], r["uscc"])
            if r["start_on"] == est[r["uscc"]]:
                parent[r["uscc"]] = r["holder_id"]   # the founding holder; later stakes close cycles

    def depth(u: str) -> int:
        d = 0
        while u in parent:
            u, d = parent[u], d + 1
        return d

    depths = [depth(u) for u in parent]
    assert max(depths) == 6
    cycles = list(nx.simple_cycles(g))
    assert cycles and all(len(c) >= 3 for c in cycles)
    other_city = sum(1 for c, p in parent.items() if region[c][:4] != region[p][:4])
    assert 0.3 <= other_city / len(parent) <= 0.7


def test_authorities_sit_in_the_subject_region_mostly(medium):
    b = read_bundle(medium[0])
    region = {r["uscc"]: r["region_code"] for r in b["enterprises"]}
    records = [r for r in b["records"] if r["subject_kind"] == "enterprise"]
    local = sum(1 for r in records if r["authority_region"] in ("430000", region[r["subject_id"]],
                                                                   region[r["subject_id"]][:4] + "00"))
    assert local >= 0.8 * len(records)
    assert local < len(records), "some records are decided in another region"


def test_the_generate_command_writes_the_same_bundle(tmp_path):
    res = subprocess.run([sys.executable, "-m", "bench.generate", str(tmp_path / "cli"), "--enterprises", "120",
                          "--seed", "4"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    generate_bundle(tmp_path / "api", 120, seed=4)
    for name in FILES:
        assert (tmp_path / "cli" / f"{name}.csv").read_bytes() == (tmp_path / "api" / f"{name}.csv").read_bytes()


def test_generated_bundle_loads_without_rejection(graph, small):
    from loaders import load_bundle

    counts = {name: sum(1 for _ in csv.reader((small / f"{name}.csv").open(encoding="utf-8"))) - 1 for name in FILES}
    result = load_bundle(graph, small)
    assert result.rejected == 0, [str(i) for i in result.rejections[:10]]
    assert not result.warnings, [str(i) for i in result.warnings[:10]]
    for name in FILES:
        assert result.files[f"{name}.csv"].read == counts[name]
        assert result.files[f"{name}.csv"].loaded == counts[name], name
