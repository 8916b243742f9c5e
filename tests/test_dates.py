"""The Swedish date calculus: months forward and backward, workdays, action deadlines, ISO dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iop_engine.dates import (
    ActionDeadline,
    action_deadline,
    add_months,
    day_of_year,
    is_month_end,
    month_end,
    months_before,
    next_workday,
    non_workday_reason,
    parse_iso_date,
)

D = dt.date

# Years the holiday calendar and the agreements care about, with margin on both sides.
dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
month_counts = st.integers(min_value=-120, max_value=120)


# -- months forward (Lag 1930:173 1 §) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 11, 30), 3, D(2026, 2, 28)),
        (D(2027, 11, 30), 3, D(2028, 2, 29)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 3, 15), 2, D(2026, 5, 15)),
        (D(2026, 6, 10), 12, D(2027, 6, 10)),
        (D(2026, 12, 31), 12, D(2027, 12, 31)),
        (D(2028, 2, 29), 12, D(2029, 2, 28)),
        (D(2026, 5, 1), 0, D(2026, 5, 1)),
    ],
)
def test_add_months_keeps_the_day_number_or_clamps_to_the_month_end(
    start: dt.date, months: int, expected: dt.date
) -> None:
    """Counting months forward keeps the day number, or takes the month's last day where it is missing."""
    assert expected == add_months(start, months)


def test_month_end_helpers_agree_with_the_calendar() -> None:
    """`month_end` gives the last day of February in common and leap years; `is_month_end` knows it."""
    assert D(2026, 2, 28) == month_end(D(2026, 2, 3))
    assert D(2028, 2, 29) == month_end(D(2028, 2, 3))
    assert is_month_end(D(2026, 2, 28))
    assert not is_month_end(D(2028, 2, 28))


@given(dates, month_counts)
def test_add_months_lands_in_the_target_month_with_the_same_or_a_clamped_day(
    day: dt.date, months: int
) -> None:
    """add_months(d, n) is n calendar months on, with day ≤ d.day, and equal to it where that day exists."""
    moved = add_months(day, months)
    target = day.year * 12 + day.month - 1 + months
    assert (target // 12, target % 12 + 1) == (moved.year, moved.month)
    assert moved.day <= day.day
    if day.day <= month_end(moved).day:
        assert day.day == moved.day
    else:
        assert month_end(moved) == moved


# -- months backward (no statutory rule: every defensible reading is reported) ----------------------


def test_months_before_a_month_end_reports_month_end_and_day_after_readings() -> None:
    """Six months before 30 April: 30 October computed, 31 October and 1 November the other readings."""
    count = months_before(D(2026, 4, 30), 6)
    assert D(2025, 10, 30) == count.date
    assert (D(2025, 10, 31), D(2025, 11, 1)) == count.other_readings
    assert count.ambiguous


def test_months_before_a_month_end_whose_target_is_also_a_month_end() -> None:
    """Two months before 31 December is 31 October; only the day-after reading (1 November) differs."""
    count = months_before(D(2026, 12, 31), 2)
    assert D(2026, 10, 31) == count.date
    assert (D(2026, 11, 1),) == count.other_readings
    assert count.ambiguous


def test_months_before_a_mid_month_day_has_only_the_day_after_reading() -> None:
    """From a mid-month day the month-end reading does not arise; counting from the day after does."""
    count = months_before(D(2026, 5, 15), 6)
    assert D(2025, 11, 15) == count.date
    assert (D(2025, 11, 16),) == count.other_readings


def test_months_before_is_unambiguous_where_all_readings_coincide() -> None:
    """One month before 30 March and the day-after reading both clamp to 28 February: nothing else."""
    count = months_before(D(2026, 3, 30), 1)
    assert D(2026, 2, 28) == count.date
    assert not count.other_readings
    assert not count.ambiguous


@given(dates, st.integers(min_value=1, max_value=120))
def test_months_before_computes_the_earliest_reading(day: dt.date, months: int) -> None:
    """months_before(d, n).date is on or before every other reading, none of which equals it."""
    count = months_before(day, months)
    assert add_months(day, -months) == count.date
    assert all(count.date < other for other in count.other_readings)
    assert sorted(set(count.other_readings)) == list(count.other_readings)


# -- workdays (Lag 1930:173 2 §) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "reason", "next_day"),
    [
        (D(2026, 3, 7), "lördag", D(2026, 3, 9)),
        (D(2026, 3, 8), "söndag", D(2026, 3, 9)),
        (D(2026, 6, 6), "Nationaldagen", D(2026, 6, 8)),
        (D(2026, 4, 3), "Långfredagen", D(2026, 4, 7)),
        (D(2026, 4, 5), "Påskdagen", D(2026, 4, 7)),
        (D(2026, 4, 6), "Annandag påsk", D(2026, 4, 7)),
        (D(2026, 5, 14), "Kristi himmelsfärdsdag", D(2026, 5, 15)),
        (D(2026, 6, 19), "Midsommarafton", D(2026, 6, 22)),
        (D(2026, 12, 24), "Julafton", D(2026, 12, 28)),
        (D(2026, 12, 31), "Nyårsafton", D(2027, 1, 4)),
        (D(2026, 10, 31), "Alla helgons dag", D(2026, 11, 2)),
        (D(2027, 10, 30), "lördag", D(2027, 11, 1)),
    ],
)
def test_non_workdays_are_named_and_roll_to_the_next_workday(
    day: dt.date, reason: str, next_day: dt.date
) -> None:
    """Weekends, public holidays and the three eves are not workdays; the next workday skips them all."""
    assert reason == non_workday_reason(day)
    assert next_day == next_workday(day)


@pytest.mark.parametrize(
    "day", [D(2026, 3, 9), D(2026, 4, 2), D(2026, 4, 7), D(2026, 10, 30), D(2027, 11, 1)]
)
def test_a_workday_has_no_reason_and_does_not_move(day: dt.date) -> None:
    """An ordinary weekday, Skärtorsdagen and the Friday before Alla helgons dag included, stays put."""
    assert non_workday_reason(day) is None
    assert day == next_workday(day)


@given(dates)
def test_next_workday_is_the_first_workday_on_or_after_the_day(day: dt.date) -> None:
    """next_workday(d) ≥ d, is a Monday–Friday workday, and every day before it from d is not a workday."""
    moved = next_workday(day)
    assert moved >= day
    assert non_workday_reason(moved) is None
    assert moved.weekday() < 5
    skipped = [day + dt.timedelta(days=i) for i in range((moved - day).days)]
    assert all(non_workday_reason(d) is not None for d in skipped)


# -- action deadlines ------------------------------------------------------------------------------------


def test_policy_none_keeps_a_saturday_deadline_and_shows_where_it_would_move() -> None:
    """With roll policy `none` a Saturday deadline stays; the next workday is shown, not applied."""
    assert ActionDeadline(D(2027, 10, 30), D(2027, 10, 30), None, D(2027, 11, 1)) == action_deadline(
        D(2027, 10, 30), "none"
    )


def test_policy_next_workday_moves_a_saturday_deadline_to_monday() -> None:
    """With roll policy `next_workday` a Saturday deadline moves to the following Monday."""
    assert ActionDeadline(D(2027, 10, 30), D(2027, 11, 1), D(2027, 11, 1), D(2027, 11, 1)) == action_deadline(
        D(2027, 10, 30), "next_workday"
    )


@pytest.mark.parametrize("policy", ["none", "next_workday"])
def test_a_workday_deadline_never_moves(policy: str) -> None:
    """A deadline on a workday is effective on its own day under either policy, with nothing to roll."""
    assert ActionDeadline(D(2027, 11, 1), D(2027, 11, 1), None, None) == action_deadline(
        D(2027, 11, 1), policy
    )


def test_an_unknown_roll_policy_is_refused() -> None:
    """A roll policy other than `none` or `next_workday` raises ValueError naming the accepted ones."""
    with pytest.raises(ValueError, match="next_workday"):
        action_deadline(D(2027, 11, 1), "previous_workday")


# -- ISO dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-02-30", "not a real calendar date"),
        ("2026-13-01", "not a real calendar date"),
        ("2026-2-3", "not a date of the form YYYY-MM-DD"),
        ("tomorrow", "not a date of the form YYYY-MM-DD"),
        ("2026-02-03T10:00", "not a date of the form YYYY-MM-DD"),
        ("20260203", "not a date of the form YYYY-MM-DD"),
        ("", "not a date of the form YYYY-MM-DD"),
    ],
)
def test_parse_iso_date_refuses_what_is_not_a_strict_real_date(text: str, problem: str) -> None:
    """Impossible days and anything but YYYY-MM-DD are refused with a message naming the text."""
    with pytest.raises(ValueError, match=problem) as caught:
        parse_iso_date(text)
    assert f"'{text}'" in str(caught.value)


@given(st.dates(min_value=D(1000, 1, 1)))
def test_parse_iso_date_reads_back_every_iso_date(day: dt.date) -> None:
    """Every date written as YYYY-MM-DD parses back to itself."""
    assert day == parse_iso_date(day.isoformat())


@pytest.mark.parametrize(
    ("year", "month_day", "expected"),
    [
        (2027, "02-29", dt.date(2027, 2, 28)),
        (2028, "02-29", dt.date(2028, 2, 29)),
        (2027, "02-31", dt.date(2027, 2, 28)),
        (2027, "04-31", dt.date(2027, 4, 30)),
        (2027, "09-30", dt.date(2027, 9, 30)),
        (2027, "12-31", dt.date(2027, 12, 31)),
    ],
)
def test_a_day_of_the_year_the_month_lacks_is_its_last_day(
    year: int, month_day: str, expected: dt.date
) -> None:
    """ "MM-DD" with a day number the month lacks (the format allows 02-29 to 02-31, 04-31 …) is the
    month's last day, as Lag (1930:173) 1 § treats a missing day number."""
    assert day_of_year(year, month_day) == expected


@given(st.integers(2000, 2100), st.integers(1, 12), st.integers(1, 31))
def test_a_day_of_the_year_lies_in_its_month_on_its_day_or_its_last(year: int, month: int, day: int) -> None:
    found = day_of_year(year, f"{month:02d}-{day:02d}")
    assert (found.year, found.month) == (year, month)
    assert found.day == day or (found.day < day and (found + dt.timedelta(days=1)).month != month)
