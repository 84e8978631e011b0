"""Working days on the official calendar (domain.md 5.2): make-up days, holidays, fail closed."""

from __future__ import annotations

from datetime import date

import pytest

from graph_service.workflow import calendar
from graph_service.workflow.calendar import (
    CalendarOverridesError,
    CalendarUnknown,
    add_working_days,
    is_working_day,
    working_days_between,
)


@pytest.fixture
def overrides_file(tmp_path, monkeypatch):
    """Point the calendar at a temporary override table; restore the shipped one afterwards."""
    path = tmp_path / "calendar_overrides.yaml"

    def write(text: str):
        path.write_text(text, encoding="utf-8")
        calendar.reload_overrides()
        return path

    monkeypatch.setattr(calendar, "OVERRIDES_PATH", path)
    write("years: {}\n")
    yield write
    calendar.reload_overrides()


def test_national_day_2025_objection_due_date():
    # domain.md 5.2 worked example: Oct 1-8 are holidays, Sun Sep 28 and Sat Oct 11 are worked.
    assert add_working_days(date(2025, 9, 30), 20) == date(2025, 11, 4)


def test_first_day_is_not_counted_even_when_it_is_a_working_day():
    assert add_working_days(date(2025, 9, 29), 1) == date(2025, 9, 30)
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_make_up_saturday_counts_and_holiday_start_counts_from_next_working_day():
    # Notice received during the holiday: the count starts on the first working day after it.
    assert add_working_days(date(2025, 10, 3), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 10, 3), 3) == date(2025, 10, 11)  # Saturday, worked
    assert add_working_days(date(2025, 10, 3), 4) == date(2025, 10, 13)  # Sunday Oct 12 is rest


def test_spring_festival_2026_with_make_up_saturdays():
    assert is_working_day(date(2026, 2, 14)) and is_working_day(date(2026, 2, 28))
    assert not is_working_day(date(2026, 2, 16)) and not is_working_day(date(2026, 2, 23))
    # Thu Feb 12: Fri 13 (1), Sat 14 (2), then the holiday Feb 15-23, Tue 24 (3) .. Fri 27 (6), Sat 28 (7).
    assert add_working_days(date(2026, 2, 12), 2) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 12), 3) == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 12), 7) == date(2026, 2, 28)
    # An objection noticed on Fri Feb 13: 14, 24-28 (6), Mar 2-6 (11), 9-13 (16), 16-19 (20).
    assert add_working_days(date(2026, 2, 13), 20) == date(2026, 3, 19)


def test_zero_and_negative_periods():
    assert add_working_days(date(2025, 10, 4), 0) == date(2025, 10, 4)
    with pytest.raises(ValueError):
        add_working_days(date(2025, 10, 4), -1)


def test_working_days_between_counts_the_half_open_period():
    assert working_days_between(date(2025, 9, 30), date(2025, 11, 4)) == 20
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0
    assert working_days_between(date(2025, 9, 30), date(2025, 9, 30)) == 0


def test_2027_fails_closed():
    with pytest.raises(CalendarUnknown) as err:
        add_working_days(date(2026, 12, 20), 20)
    assert err.value.year == 2027
    assert "2027" in str(err.value) and "calendar_overrides.yaml" in str(err.value)
    with pytest.raises(CalendarUnknown):
        is_working_day(date(2027, 3, 1))
    # A period that stays inside 2026 is still counted.
    assert add_working_days(date(2026, 12, 21), 5) == date(2026, 12, 28)


def test_years_before_the_calendar_fail_closed():
    with pytest.raises(CalendarUnknown):
        add_working_days(date(2003, 12, 30), 5)
    with pytest.raises(CalendarUnknown):
        add_working_days(date.max, 1)  # the end of the calendar, not an OverflowError


def test_complete_override_year_is_counted(overrides_file):
    overrides_file(
        "years:\n"
        "  2027:\n"
        "    complete: true\n"
        "    source: test notice\n"
        "    holidays: [2027-01-01]\n"
        "    workdays: [2027-01-09]\n"
    )
    # Thu Dec 31 2026: Fri Jan 1 is a holiday, Sat Jan 2 / Sun Jan 3 rest, Mon Jan 4 (1).
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    # Mon 4 .. Fri 8 (5), Sat 9 worked (6).
    assert add_working_days(date(2026, 12, 31), 6) == date(2027, 1, 9)


def test_incomplete_override_year_still_fails_closed(overrides_file):
    overrides_file("years:\n  2027:\n    holidays: [2027-01-01]\n")
    assert not is_working_day(date(2027, 1, 1))
    with pytest.raises(CalendarUnknown):
        is_working_day(date(2027, 1, 4))


def test_override_of_a_known_year_is_consulted_first(overrides_file):
    overrides_file("years:\n  2025:\n    holidays: [2025-11-03]\n")
    assert add_working_days(date(2025, 9, 30), 20) == date(2025, 11, 5)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("years:\n  2027:\n    holidays: [2026-10-01]\n", "years.2027.holidays"),
        ("years:\n  2027:\n    holidays: [2027-01-01]\n    workdays: [2027-01-01]\n", "both holiday and workday"),
        ("years:\n  2027:\n    holiday: [2027-01-01]\n", "years.2027.holiday"),
        ("years:\n  2027:\n    holidays: [not-a-date]\n", "years.2027.holidays.0"),
    ],
)
def test_bad_override_table_names_the_field(overrides_file, text, needle):
    path = overrides_file(text)
    with pytest.raises(CalendarOverridesError) as err:
        is_working_day(date(2025, 6, 3))
    assert str(path) in str(err.value) and needle in str(err.value)


def test_shipped_override_table_is_valid():
    table = calendar.load_overrides(calendar.OVERRIDES_PATH)
    for entry in table.years.values():
        assert entry.holidays or entry.workdays or entry.complete
