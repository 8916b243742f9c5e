"""Swedish date calculus: months forward and backward, workdays, and rolling action deadlines.

Conventions, each named so that a caller can cite it:
- Counting months *forward* follows Lag (1930:173) om beräkning av lagstadgad tid, 1 §: the
  same day number, or the month's last day where that day does not exist
  (30 Nov + 3 months = 28 Feb, 29 Feb in a leap year). pendulum clamps the same way.
- Counting months *backward* from a date ("senast sex månader innan partnerskapets utgång") has
  no statutory rule. The engine computes the corresponding day (same day number, clamped) and
  reports every other defensible reading: month end to month end, and counting from the moment
  the period has run out (the day after its last day).
- An action whose last day is a Saturday, Sunday, public holiday, midsommarafton, julafton or
  nyårsafton may be taken on the next workday under Lag (1930:173) 2 §; agreements apply this
  only by analogy and only where their roll policy says `next_workday`. Ends of periods never move.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import attrs
import holidays
import pendulum

FORWARD_CONVENTION = "Lag (1930:173) 1 §: samma dagnummer, annars månadens sista dag"
ROLL_CONVENTION = "analogt med lag (1930:173) 2 §: nästa vardag"
ROLL_POLICIES = ("none", "next_workday")

_WEEKDAY_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months, clamped to the month's end (Lag 1930:173 1 §)."""
    moved = pendulum.Date(day.year, day.month, day.day).add(months=months)
    return dt.date(moved.year, moved.month, moved.day)


def day_of_year(year: int, month_day: str) -> dt.date:
    """The day "MM-DD" in `year`; a day number the month lacks (29 February outside leap years,
    "04-31") is the month's last day, as Lag (1930:173) 1 § treats a missing day number."""
    month, day = map(int, month_day.split("-"))
    return min(dt.date(year, month, 1) + dt.timedelta(days=day - 1), month_end(dt.date(year, month, 1)))


def is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).month != day.month


def month_end(day: dt.date) -> dt.date:
    last = pendulum.Date(day.year, day.month, day.day).end_of("month")
    return dt.date(last.year, last.month, last.day)


@attrs.frozen
class BackwardCount:
    """A day counted `months` backwards from `origin`, with the other readings the text allows."""

    date: dt.date
    other_readings: tuple[dt.date, ...]
    months: int
    origin: dt.date
    convention: str = "same_day_number"

    @property
    def ambiguous(self) -> bool:
        return bool(self.other_readings)


def months_before(day: dt.date, months: int, convention: str = "same_day_number") -> BackwardCount:
    """The day `months` months before `day`, where `day` is the last day of a period, counted by
    `convention`, with the days the other conventions give.

    same_day_number keeps the day number (the earliest reading, so the safest for the party who
    must act); month_end counts from a month end to the corresponding month end; day_after counts
    from the day after `day`, when the period has actually run out.
    """
    readings = {
        "same_day_number": add_months(day, -months),
        "month_end": month_end(add_months(day, -months)) if is_month_end(day) else add_months(day, -months),
        "day_after": add_months(day + dt.timedelta(days=1), -months),
    }
    chosen = readings[convention]
    others = tuple(sorted(set(readings.values()) - {chosen}))
    return BackwardCount(chosen, others, months, day, convention)


@lru_cache(maxsize=64)
def _swedish_holidays(year: int) -> dict[dt.date, str]:
    sweden = holidays.country_holidays
    public = sweden("SE", years=year, include_sundays=False, language="sv")
    eves = sweden("SE", years=year, include_sundays=False, language="sv", categories=("de_facto",))
    days: dict[dt.date, str] = {}
    for source in (public, eves):
        days.update(source.items())
    return days


def non_workday_reason(day: dt.date) -> str | None:
    """Why `day` is not a workday under Lag (1930:173) 2 §, or None if it is one."""
    named = _swedish_holidays(day.year).get(day)
    if named:
        return named
    if day.weekday() >= 5:
        return _WEEKDAY_SV[day.weekday()]
    return None


def next_workday(day: dt.date) -> dt.date:
    """The first day on or after `day` that is a workday."""
    while non_workday_reason(day) is not None:
        day += dt.timedelta(days=1)
    return day


@attrs.frozen
class ActionDeadline:
    nominal: dt.date
    effective: dt.date
    rolled: dt.date | None  # set only where the policy moved the day
    moved_if_rolled: dt.date | None  # where nominal is not a workday: the next workday


def action_deadline(nominal: dt.date, policy: str) -> ActionDeadline:
    """Apply a roll policy (`none` or `next_workday`) to the last day for an action."""
    if policy not in ROLL_POLICIES:
        raise ValueError(f"unknown roll policy {policy!r}; expected one of {ROLL_POLICIES}")
    candidate = next_workday(nominal)
    moved = candidate if candidate != nominal else None
    if policy == "next_workday" and moved is not None:
        return ActionDeadline(nominal, moved, moved, moved)
    return ActionDeadline(nominal, nominal, None, moved)


def parse_iso_date(text: str) -> dt.date:
    """A strict `YYYY-MM-DD` date; raises ValueError naming what is wrong."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        raise ValueError(f"'{text}' is not a date of the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"'{text}' is not a real calendar date ({error})") from None
