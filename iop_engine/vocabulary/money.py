"""The vocabulary of money: payments with their schedules, due rules and amounts (with index
adjustments), the idea-based parties' own contributions, and repayment.

Each `Payment` is one payer's payments to one payee on one schedule; a payee may have several,
one after another (`from` / `until`), so a schedule can change from a date. Amounts are kronor
(`Decimal`, written "978000.00" or 978000 in the file, never a float).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

import attrs
from attrs import frozen

from iop_engine.vocabulary.term import MMDD
from iop_engine.vocabulary.values import Citation, Fact, Kronor, part

Schedule = Literal["monthly", "quarterly", "tertial", "half_yearly", "yearly", "per_annex", "list"]


@frozen(kw_only=True)
class OnDay:
    """A fixed day of the year ("senast den 31 januari respektive år"), for yearly payments."""

    day: str = part("MM-DD.", sv="dag", en="day", schema=MMDD)


@frozen(kw_only=True)
class DayOfMonth:
    """A day of the first month of each part ("senast den 25:e"); the month's last day where
    the month is shorter."""

    day_of_month: int = part(
        "1–31.", sv="dag i månaden", en="day of the month", schema={"minimum": 1, "maximum": 31}
    )


@frozen(kw_only=True)
class DaysAfter:
    """A number of days after the start (or the end) of each part ("inom 30 dagar")."""

    days_after: int = part("Days.", sv="dagar efter", en="days after", schema={"minimum": 0})
    counted_from: Literal["start", "end"] = part(
        "The part's first day (start) or last day (end).",
        sv="räknat från",
        en="counted from",
        default="start",
    )


@frozen(kw_only=True)
class Window:
    """Within the first days of each part ("under första veckan": 7)."""

    within_days: int = part(
        "The number of days, the part's first day included.",
        sv="inom dagar",
        en="within days",
        schema={"minimum": 1},
    )


@frozen(kw_only=True)
class PartStart:
    """On the first day of each part."""

    part_start: Literal[True] = part("true", sv="delens första dag", en="the part's first day")


DueRule = OnDay | DayOfMonth | DaysAfter | Window | PartStart


@frozen(kw_only=True)
class Grant:
    """The amount for one year; unregulated where the documents leave it to renegotiation."""

    year: int = part("The year.")
    amount: Fact[Kronor] = part("The amount in kronor.", sv="belopp", en="amount")


@frozen(kw_only=True)
class BudgetItem:
    name: str = part("The item's name in the budget table.")
    amount: Fact[Kronor] = part("The amount in kronor.", sv="belopp", en="amount")


@frozen(kw_only=True)
class FirstPeriod:
    """How the first, partial period is paid: `months` twelfths of the annual amount."""

    months: int = part(
        "Twelfths of the annual amount.",
        sv="tolftedelar",
        en="twelfths",
        schema={"minimum": 1, "maximum": 12},
    )


@frozen(kw_only=True)
class Listed:
    """One instalment of an explicit list."""

    covers: tuple[dt.date, dt.date] = part("The first and last day it pays for.")
    due: dt.date = part("The day it is due.")
    amount: Fact[Kronor] = part("The amount in kronor.", sv="belopp", en="amount")


@frozen(kw_only=True)
class Adjustment:
    """An uplift by an index: each year from `from_year` the annual amount is the previous year's
    plus `share` of the relative change between the index figures of the two years `lag` years
    before, rounded down to a multiple of `round_down_to` kronor."""

    index: str = part("The index's id (under `indices`).")
    from_year: int = part("The first year the adjusted amount applies to.")
    share: Decimal = part('The share of the index change applied, e.g. "0.5" for half of it.')
    lag: int = part(
        "How many years before the year the later index figure is from (1: the year before).", default=1
    )
    round_down_to: int = part(
        "Round the adjusted amount down to a multiple of this many kronor (1: whole kronor).", default=1
    )
    cites: tuple[Citation, ...] = part("The clause.", key="cite", default=())


@frozen(kw_only=True)
class Payment:
    """One payer's payments on one schedule, to each of its payees (each payee is paid the amounts
    given; an agreement whose payees are paid differently has one payment per payee)."""

    id: str = part("An id for this payment stream.")
    payer: str = part("The paying party.")
    payees: tuple[str, ...] = part("The parties paid.")
    schedule: Fact[Schedule] = part(
        "monthly, quarterly, tertial (three per year), half_yearly, yearly, per_annex (in annexes "
        "not among the documents), or list (the explicit `instalments`).",
        sv="utbetalning",
        en="schedule",
    )
    due: Fact[DueRule] | None = part(
        "When each part is due (or unregulated). Not used by a `list` schedule (each instalment has its "
        "day) or `per_annex`; required by the others.",
        sv="förfaller",
        en="due",
        default=None,
    )
    annual_amount: Fact[Kronor] | None = part(
        "The amount per year.", sv="ersättningen per år", en="amount per year", default=None
    )
    grants: tuple[Grant, ...] = part("Amounts per year, for yearly payments that differ by year.", default=())
    budget_items: tuple[BudgetItem, ...] = part("The annual amount's budget table.", default=())
    first_period: Fact[FirstPeriod] | None = part(
        "How the first, partial period is paid (otherwise by calendar days).",
        sv="första perioden",
        en="first period",
        default=None,
        reading=True,
    )
    adjustments: tuple[Adjustment, ...] = part("Index adjustments of the annual amount.", default=())
    instalments: tuple[Listed, ...] = part("The instalments of a `list` schedule.", default=())
    starts: dt.date | None = part(
        "The first day this schedule applies (default: the start).", key="from", default=None
    )
    ends: dt.date | None = part(
        "The last day this schedule applies (default: the end).", key="until", default=None
    )

    @property
    def due_rule(self) -> DueRule | None:
        """The due rule to compute with: None where the file gives none or leaves it open."""
        return self.due.value if self.due is not None else None


@frozen(kw_only=True)
class Index:
    """An index series the file's adjustments use, e.g. SCB's arbetskostnadsindex (AKI)."""

    id: str = part("An id, named by adjustments.")
    name: str = part("The index's name and where its figures are published.")
    values: dict[int, Decimal] = part("The figures by year (year: figure).", default=attrs.Factory(dict))
    file: str | None = part(
        "A YAML file beside the rule file with the figures (year: figure), instead of `values`.", default=None
    )


@frozen(kw_only=True)
class Contribution:
    """An idea-based party's own contribution (medfinansiering), per year."""

    id: str = part("An id.")
    party: str = part("The contributing party.")
    what: Fact[str] = part("The contribution in the document's words.", sv="insats", en="contribution")
    amount: Fact[Kronor] | None = part(
        "A fixed amount per year.", sv="belopp per år", en="amount per year", default=None
    )
    share_of: str | None = part("Or: a share of the payment stream with this id, per year.", default=None)
    share: Fact[Decimal] | None = part('The share, e.g. "0.10".', sv="andel", en="share", default=None)
    due: Fact[OnDay] | None = part(
        "When each year's contribution is due (default: at the year's end).",
        sv="senast",
        en="by",
        default=None,
    )


@frozen(kw_only=True)
class RepaymentException:
    """An exception to a repayment claim for misused funds."""

    id: str = part("An id; a `misuse_found` event answers it with a field of this name (true/false/unknown).")
    text: Fact[str] = part("The exception in the document's words.", sv="undantag", en="exception")
    en: str = part("The exception in English.")


@frozen(kw_only=True)
class Misuse:
    discretionary: Fact[bool] = part(
        'Whether a claim is a right ("äger rätt") rather than a duty.', sv="kan krävas", en="may be claimed"
    )
    ground: Fact[str] = part("What counts as misuse.", sv="grund", en="ground")
    exceptions: tuple[RepaymentException, ...] = part(
        "The exceptions, in the order they are tried.", default=()
    )


@frozen(kw_only=True)
class RescissionRepayment:
    discretionary: Fact[bool] = part(
        "Whether a claim is a right rather than a duty.", sv="kan krävas", en="may be claimed"
    )
    extent: Fact[Literal["all", "part_or_all"]] | None = part(
        "How much may be claimed. Without it, the sum paid; left open, the engine claims "
        '"part or all" (at most the sum paid) and reports it.',
        sv="omfattning",
        en="extent",
        default=None,
    )


@frozen(kw_only=True)
class BeyondNotice:
    discretionary: Fact[bool] = part(
        'Whether a claim is a right ("kan") rather than a duty.', sv="kan krävas", en="may be claimed"
    )


@frozen(kw_only=True)
class Repayment:
    """When money goes back: misuse, payment beyond a notice period, rescission."""

    misuse: Misuse | None = part("Repayment of misused funds.", default=None)
    beyond_notice: BeyondNotice | None = part(
        "Repayment of what was paid for time after a notice period.", default=None
    )
    rescission: RescissionRepayment | None = part("Repayment after a rescission.", default=None)
