"""Payment schedules: into which parts a year is paid, when each part falls due, and what an
index adjustment makes of an annual amount. Pure calculus over the vocabulary's values; no
replay, no findings.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, Decimal

import attrs

from iop_engine.dates import action_deadline, day_of_year
from iop_engine.money import ORE, Span
from iop_engine.vocabulary.money import Adjustment, DayOfMonth, DaysAfter, DueRule, OnDay, PartStart, Window

PER_YEAR = {"monthly": 12, "quarterly": 4, "tertial": 3, "half_yearly": 2, "yearly": 1}
"""Parts per calendar year of the schedules that divide an annual amount."""


@attrs.frozen
class DueDay:
    """When a part is paid: the day it falls due, and the last day to pay where the text gives
    one (after the roll policy)."""

    due: dt.date
    pay_by: dt.date | None


def due_day(rule: DueRule | None, part: Span, roll: str) -> DueDay:
    """The due day of `part` under `rule`; None (the text is silent) gives the part's first day
    and no last day, so lateness is not assessed."""
    if rule is None:
        return DueDay(part.first, None)
    if isinstance(rule, OnDay):
        nominal = day_of_year(part.first.year, rule.day)
        return DueDay(nominal, action_deadline(nominal, roll).effective)
    if isinstance(rule, DayOfMonth):
        last = calendar.monthrange(part.first.year, part.first.month)[1]
        nominal = part.first.replace(day=min(rule.day_of_month, last))
        return DueDay(nominal, action_deadline(nominal, roll).effective)
    if isinstance(rule, DaysAfter):
        base = part.first if rule.counted_from == "start" else part.last
        nominal = base + dt.timedelta(days=rule.days_after)
        return DueDay(
            nominal if rule.counted_from == "end" else part.first, action_deadline(nominal, roll).effective
        )
    if isinstance(rule, Window):
        last_day = part.first + dt.timedelta(days=rule.within_days - 1)
        return DueDay(part.first, action_deadline(last_day, roll).effective)
    assert isinstance(rule, PartStart)
    return DueDay(part.first, action_deadline(part.first, roll).effective)


@attrs.frozen
class Step:
    """One year's adjustment: the index figures compared and the amount after rounding."""

    year: int
    index: str
    earlier: tuple[int, Decimal]
    later: tuple[int, Decimal]
    share: Decimal
    round_down_to: int
    amount: Decimal


@attrs.frozen
class Annual:
    """The annual amount of a year after the adjustments up to it; `missing` names an index
    figure the computation needed and the file does not give (the amount is then unknown)."""

    amount: Decimal | None
    steps: tuple[Step, ...] = ()
    missing: tuple[str, int] | None = None


def annual_for(
    base: Decimal, adjustments: Sequence[Adjustment], indices: Mapping[str, Mapping[int, Decimal]], year: int
) -> Annual:
    """`base` adjusted year by year up to `year`: each year from an adjustment's `from_year` on,
    the previous year's amount plus `share` of the relative change between the index figures of
    the years `lag` and `lag + 1` before it, rounded down to `round_down_to` kronor. The latest
    adjustment that has begun applies in a year."""
    amount, steps = base, list[Step]()
    first = min((a.from_year for a in adjustments), default=year + 1)
    for y in range(first, year + 1):
        active = max((a for a in adjustments if a.from_year <= y), key=lambda a: a.from_year, default=None)
        if active is None:
            continue
        figures = indices.get(active.index, {})
        later_year, earlier_year = y - active.lag, y - active.lag - 1
        if later_year not in figures or earlier_year not in figures:
            missing = later_year if later_year not in figures else earlier_year
            return Annual(None, tuple(steps), (active.index, missing))
        change = figures[later_year] / figures[earlier_year] - 1
        raised = amount * (1 + active.share * change)
        unit = Decimal(active.round_down_to)
        amount = ((raised / unit).to_integral_value(rounding=ROUND_DOWN) * unit).quantize(ORE)
        steps.append(
            Step(
                y,
                active.index,
                (earlier_year, figures[earlier_year]),
                (later_year, figures[later_year]),
                active.share,
                active.round_down_to,
                amount,
            )
        )
    return Annual(amount, tuple(steps))
