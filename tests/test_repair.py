"""Credit repair terms and assessment (domain.md 4): rule version by decision date, min and max."""

from __future__ import annotations

from datetime import date

import pytest

from graph_service.workflow.repair import RecordFacts, RepairRequest, assess, condition_names, terms

ALL_MET = {c: True for c in condition_names()}


def request(on: date, **missing: bool) -> RepairRequest:
    return RepairRequest(on, {**ALL_MET, **missing})


@pytest.mark.parametrize(
    ("decided_on", "version"),
    [
        (date(2019, 7, 1), "ndrc_2019_527"),
        (date(2023, 4, 30), "ndrc_2019_527"),
        (date(2023, 5, 1), "ndrc_order_58"),
        (date(2026, 3, 31), "ndrc_order_58"),
        (date(2026, 4, 1), "ndrc_order_36"),
        (date(2018, 1, 5), "ndrc_2019_527"),  # before any version: the first one's periods
    ],
)
def test_rule_version_in_force_on_the_decision_date(decided_on, version):
    assert terms("penalty", "general", decided_on).rule_version == version


def test_periods_by_version_and_severity():
    t = terms("penalty", "general", date(2022, 6, 15))  # 527: 3 months .. 1 year
    assert (t.earliest_on, t.automatic_end) == (date(2022, 9, 15), date(2023, 6, 15))
    t = terms("black", "serious", date(2022, 6, 15))  # 527: 6 months .. 3 years
    assert (t.earliest_on, t.automatic_end) == (date(2022, 12, 15), date(2025, 6, 15))
    t = terms("penalty", "serious", date(2024, 2, 29))  # Order 58: 1 year .. 3 years, month end kept
    assert (t.earliest_on, t.automatic_end) == (date(2025, 2, 28), date(2027, 2, 28))
    t = terms("penalty", "general", date(2025, 8, 31))  # Order 58: 3 months .. 3 years
    assert (t.earliest_on, t.automatic_end) == (date(2025, 11, 30), date(2028, 8, 31))
    t = terms("penalty", "minor", date(2026, 4, 1))  # Order 36: repairable once duties are done
    assert (t.earliest_on, t.automatic_end) == (date(2026, 4, 1), date(2026, 7, 1))
    t = terms("penalty", "general", date(2026, 4, 1))  # Order 36: 3 months .. 1 year
    assert (t.earliest_on, t.automatic_end) == (date(2026, 7, 1), date(2027, 4, 1))


def test_record_valid_until_is_the_automatic_end():
    t = terms("black", "serious", date(2024, 3, 1), valid_until=date(2026, 3, 1))
    assert t.automatic_end == date(2026, 3, 1) and t.earliest_on == date(2025, 3, 1)


def test_refused_before_the_minimum_with_the_first_date():
    rec = RecordFacts("penalty", "serious", date(2024, 2, 29), valid_until=date(2027, 2, 28))
    d = assess(rec, request(date(2024, 12, 1)))
    assert not d.accepted and d.reasons == ["too_early"] and d.earliest_on == date(2025, 2, 28)
    assert d.terms.rule_version == "ndrc_order_58"


def test_accepted_on_the_first_day_after_the_minimum():
    rec = RecordFacts("penalty", "serious", date(2024, 2, 29), valid_until=date(2027, 2, 28))
    assert assess(rec, request(date(2025, 2, 28))).accepted
    assert not assess(rec, request(date(2025, 2, 27))).accepted


def test_refused_without_every_condition():
    rec = RecordFacts("black", "serious", date(2023, 1, 10), valid_until=date(2026, 1, 10))
    d = assess(rec, request(date(2023, 9, 1), credit_commitment=False))
    assert not d.accepted
    assert d.reasons == ["conditions_missing"] and d.missing_conditions == ["credit_commitment"]
    assert d.earliest_on == date(2023, 9, 1)
    d = assess(rec, RepairRequest(date(2023, 2, 1), {}))
    assert d.reasons == ["too_early", "conditions_missing"]
    assert d.missing_conditions == list(condition_names()) and d.earliest_on == date(2023, 7, 10)


def test_specific_serious_under_527_is_not_repairable():
    rec = RecordFacts("penalty", "serious", date(2021, 5, 6), specific_serious=True)
    d = assess(rec, request(date(2023, 1, 1)))
    assert not d.accepted and d.reasons == ["not_repairable"] and d.earliest_on is None
    assert "特定严重" in d.terms.not_repairable_reason
    # Order 58 has no such exception.
    later = RecordFacts("penalty", "serious", date(2023, 6, 1), specific_serious=True)
    assert assess(later, request(date(2024, 6, 1))).accepted


def test_red_records_have_nothing_to_repair():
    rec = RecordFacts("red", "general", date(2024, 1, 1))
    assert assess(rec, request(date(2025, 1, 1))).reasons == ["not_repairable"]


def test_records_no_longer_in_force_are_not_repaired():
    rec = RecordFacts("penalty", "general", date(2022, 6, 15), valid_until=date(2023, 6, 15))
    assert assess(rec, request(date(2023, 6, 15))).accepted  # the last day in force
    assert assess(rec, request(date(2023, 6, 16))).reasons == ["not_in_force"]
    repaired = RecordFacts("penalty", "general", date(2022, 6, 15), status="repaired", ended_on=date(2022, 10, 1))
    assert assess(repaired, request(date(2022, 11, 1))).reasons == ["not_in_force"]
    assert assess(rec, request(date(2022, 6, 14))).reasons == ["before_decision"]


def test_waiting_is_not_offered_past_the_automatic_end():
    # A record whose bundle ends it before the minimum: waiting for the minimum would be pointless.
    rec = RecordFacts("penalty", "serious", date(2024, 1, 10), valid_until=date(2024, 6, 30))
    d = assess(rec, request(date(2024, 3, 1)))
    assert d.reasons == ["too_early"] and d.earliest_on is None


def test_unknown_condition_is_an_error():
    rec = RecordFacts("penalty", "general", date(2024, 1, 10))
    with pytest.raises(ValueError, match="unknown repair conditions"):
        assess(rec, RepairRequest(date(2024, 6, 1), {**ALL_MET, "paid_a_fee": True}))
