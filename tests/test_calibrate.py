"""bench/calibrate.py (issue 17 point 3) at small scale: the labelled queries it makes from a bundle,
and precision and recall computed right against the labels (not the 100k targets: the lead
measures those on a quiet machine)."""

from __future__ import annotations

import datetime as dt

import pytest

from bench import calibrate as cal
from bench.generate import generate_bundle
from graph_service.domain.names import fold
from graph_service.settings import ServiceSettings


def answer(*candidates: tuple[str, float, bool]) -> dict:
    return {"candidates": [{"subject": {"id": i}, "score": s, "match": m} for i, s, m in candidates]}


def test_precision_and_recall_against_the_labels():
    queries = [cal.Labelled("q0", "exact", "person", {}, "A"),  # found: tp
               cal.Labelled("q1", "exact", "person", {}, "B"),  # missed, another matched: fn + fp
               cal.Labelled("q2", "typo", "person", {}, "C"),  # nothing matched: fn
               cal.Labelled("q3", "other_region", "person", {}, None)]  # a non-match matched: fp
    answers = [answer(("A", 0.95, True), ("X", 0.5, False)),
               answer(("Y", 0.8, True), ("B", 0.65, False)),
               answer(("C", 0.68, False)),
               answer(("Z", 0.72, True))]
    report = cal.evaluate(queries, answers, 0.7)
    assert report["overall"] == {"queries": 4, "positives": 3, "tp": 1, "fp": 2, "fn": 2,
                                 "precision": round(1 / 3, 4), "recall": round(1 / 3, 4)}
    exact = report["classes"]["person:exact"]
    assert (exact["tp"], exact["fp"], exact["fn"], exact["precision"], exact["recall"]) == (1, 1, 1, 0.5, 0.5)
    assert report["classes"]["person:other_region"]["label"] == "non_match"
    assert report["classes"]["person:other_region"]["recall"] is None
    assert report["classes"]["person:other_region"]["precision"] == 0.0
    assert report["classes"]["person:typo"]["precision"] is None  # nothing predicted
    sweep = {s["threshold"]: s for s in report["sweep"]}
    assert (sweep[0.65]["precision"], sweep[0.65]["recall"]) == (0.6, 1.0)  # B and C join at 0.65
    assert (sweep[0.95]["precision"], sweep[0.95]["recall"]) == (1.0, round(1 / 3, 4))
    assert not report["targets"]["met"]
    assert "person:exact" in cal.table(report) and "NOT met" in cal.table(report)


@pytest.fixture(scope="module")
def small_bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("calibrate") / "bundle"
    generate_bundle(out, enterprises=120, seed=5)
    return out


def test_queries_are_labelled_variants_of_the_bundle(small_bundle):
    bundle = cal.read_bundle(small_bundle)
    queries = cal.make_queries(bundle, per_class=3, seed=1)
    assert queries == cal.make_queries(bundle, per_class=3, seed=1)  # deterministic
    classes = {(q.kind, q.cls) for q in queries}
    assert {("enterprise", c) for c in cal.ENTERPRISE_CLASSES} <= classes
    assert {("person", c) for c in cal.PERSON_CLASSES} <= classes
    assert {("person", "other_birth_date"), ("person", "other_region"), ("enterprise", "other_representative")} <= classes
    enterprises = {e.uscc: e for e in bundle.enterprises}
    persons = {p.person_id: p for p in bundle.persons}
    for q in queries:
        if q.cls in cal.NON_MATCH_CLASSES[q.kind]:
            assert q.expected is None
            same_name = [p for p in bundle.persons if fold(p.name) == fold(q.properties["name"])]
            if q.cls == "other_birth_date":
                assert all(p.born != q.properties["birth_date"] for p in same_name), q
            continue
        if q.kind == "enterprise":
            e = enterprises[q.expected]
            if q.cls == "id_typo":
                assert q.properties["uscc"] != e.uscc and len(q.properties["uscc"]) == 18
                assert sum(a != b for a, b in zip(q.properties["uscc"], e.uscc)) == 1
            else:
                assert q.properties["legal_representative"] in e.representatives
            if q.cls == "exact":
                assert q.properties["name"] == e.name
            if q.cls == "traditional":
                assert q.properties["name"] != e.name and fold(q.properties["name"]) == fold(e.name)
        else:
            p = persons[q.expected]
            if q.cls == "id_typo":
                assert sum(a != b for a, b in zip(q.properties["person_id"], p.person_id)) == 1
            else:
                assert q.properties["birth_date"] == p.born and isinstance(p.born, dt.date)
            if q.cls in ("spaces", "middle_dot", "traditional"):
                assert fold(q.properties["name"]) == fold(p.name)
            if q.cls == "pinyin":
                assert q.properties["name"].isascii()


def test_calibration_runs_on_a_small_bundle_and_counts_right(graph, neo4j_conn, small_bundle):
    from loaders import load_bundle

    result = load_bundle(graph, small_bundle)
    assert not result.rejected, result
    report, queries, answers = cal.calibrate(neo4j_conn, small_bundle, per_class=4, seed=2)
    threshold = ServiceSettings().match_threshold
    assert report["threshold"] == threshold and report["queries"] == len(queries) == len(answers)
    assert {"overall", "classes", "sweep", "targets", "enterprises", "persons", "queries_per_s"} <= set(report)
    assert set(report["targets"]) == {"precision", "recall", "met"}
    for name, c in report["classes"].items():
        assert {"kind", "class", "label", "queries", "positives", "tp", "fp", "fn", "precision", "recall"} <= set(c)
        assert c["tp"] + c["fn"] == c["positives"] and name == f"{c['kind']}:{c['class']}"
    # Counted again here from the labels and the answers: what the report says.
    tp = fp = fn = positives = 0
    for q, a in zip(queries, answers):
        for cand in a["candidates"]:
            assert cand["match"] == (cand["score"] >= threshold)
        matched = {c["subject"]["id"] for c in a["candidates"] if c["match"]}
        if q.expected is not None:
            positives += 1
            tp += q.expected in matched
            fn += q.expected not in matched
        fp += len(matched - {q.expected})
    overall = report["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"], overall["positives"]) == (tp, fp, fn, positives)
    assert overall["precision"] == round(tp / (tp + fp), 4) and overall["recall"] == round(tp / positives, 4)
    at = next(s for s in report["sweep"] if s["threshold"] == threshold)
    assert (at["precision"], at["recall"]) == (overall["precision"], overall["recall"])
    # Sanity, not the targets: a small bundle's exact queries are found.
    assert report["classes"]["person:exact"]["recall"] == 1.0
    assert report["classes"]["enterprise:exact"]["recall"] == 1.0
