"""The values an amending change (or an admission) may carry that are not a plain date, number or
amount: a payment schedule, a due rule, a duty's last day, a duty in the rule file's own shape,
and an annex (a party's own payments). Each parser takes what an event gives and returns the
vocabulary's value, or raises ValueError saying what it expects (the event checks name the field).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from iop_engine.money import kronor
from iop_engine.vocabulary.governance import (
    DaysAfterPeriod,
    DutyDeadline,
    FirstOfDays,
    MonthsAfter,
)
from iop_engine.vocabulary.money import DayOfMonth, DaysAfter, DueRule, OnDay, PartStart, Window

SCHEDULES = ("monthly", "quarterly", "tertial", "half_yearly", "yearly")
"""The schedules an amendment or annex may set: those that divide the year (an explicit list or
"per annex" needs the documents' own instalments)."""

MMDD = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
DUE_FORMS = (
    "{day_of_month: N}, {days_after: N, counted_from: start|end}, {within_days: N}, {part_start: true}, "
    "{day: MM-DD}"
)
DEADLINE_FORMS = "{months_after: N}, {days_after_period: N}, {day: MM-DD}, {first_of: [MM-DD, …]}"
DUTY_EVERY = ("year", "half_year", "tertial", "quarter", "month")


def _count(raw: Mapping[str, Any], key: str, low: int, high: int) -> int:
    value = raw.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError(f"{key}: a whole number {low}–{high}")
    return value


def _mmdd(value: Any) -> str:
    if not isinstance(value, str) or not MMDD.fullmatch(value):
        raise ValueError("a day of the year as MM-DD")
    return value


def _only(raw: Mapping[str, Any], keys: set[str], forms: str) -> None:
    if not set(raw) <= keys:
        raise ValueError(f"one of {forms}")


def schedule(value: Any) -> str:
    if value not in SCHEDULES:
        raise ValueError(f"a schedule: {', '.join(SCHEDULES)}")
    return str(value)


def due_rule(raw: Any) -> DueRule:
    """A due rule in the rule file's own shape."""
    if not isinstance(raw, Mapping) or not raw:
        raise ValueError(f"a due rule, one of {DUE_FORMS}")
    if "day_of_month" in raw:
        _only(raw, {"day_of_month"}, DUE_FORMS)
        return DayOfMonth(day_of_month=_count(raw, "day_of_month", 1, 31))
    if "days_after" in raw:
        _only(raw, {"days_after", "counted_from"}, DUE_FORMS)
        counted = raw.get("counted_from", "start")
        if counted not in ("start", "end"):
            raise ValueError("counted_from: start or end")
        return DaysAfter(days_after=_count(raw, "days_after", 0, 366), counted_from=counted)
    if "within_days" in raw:
        _only(raw, {"within_days"}, DUE_FORMS)
        return Window(within_days=_count(raw, "within_days", 1, 366))
    if raw.get("part_start") is True:
        _only(raw, {"part_start"}, DUE_FORMS)
        return PartStart(part_start=True)
    if "day" in raw:
        _only(raw, {"day"}, DUE_FORMS)
        return OnDay(day=_mmdd(raw["day"]))
    raise ValueError(f"a due rule, one of {DUE_FORMS}")


def duty_deadline(raw: Any) -> DutyDeadline:
    """A duty's last day in the rule file's own shape."""
    if not isinstance(raw, Mapping) or len(raw) != 1:
        raise ValueError(f"a last day, one of {DEADLINE_FORMS}")
    if "months_after" in raw:
        return MonthsAfter(months_after=_count(raw, "months_after", 0, 24))
    if "days_after_period" in raw:
        return DaysAfterPeriod(days_after_period=_count(raw, "days_after_period", 0, 366))
    if "day" in raw:
        return OnDay(day=_mmdd(raw["day"]))
    days = raw.get("first_of")
    if isinstance(days, list) and len(days) >= 2:
        return FirstOfDays(first_of=tuple(_mmdd(d) for d in days))
    raise ValueError(f"a last day, one of {DEADLINE_FORMS}")


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("the new wording, in the document's words")
    return value.strip()


@attrs.frozen
class Annex:
    """A party's own payments as an annex gives them: an amount per year, paid on a schedule,
    due as `due` says (None: the change does not say, and lateness is not assessed)."""

    annual_amount: Decimal
    schedule: str
    due: DueRule | None = None


def annex(raw: Any) -> Annex:
    if not isinstance(raw, Mapping) or not {"annual_amount", "schedule"} <= set(raw):
        raise ValueError("an annex: {annual_amount: kronor, schedule: …, due: {…} (optional)}")
    if not set(raw) <= {"annual_amount", "schedule", "due"}:
        raise ValueError("an annex has only annual_amount, schedule and due")
    amount = kronor(raw["annual_amount"])
    if amount <= 0:
        raise ValueError("an annual amount above zero")
    rule = due_rule(raw["due"]) if raw.get("due") is not None else None
    chosen = schedule(raw["schedule"])
    if rule is not None and isinstance(rule, OnDay) != (chosen == "yearly"):
        raise ValueError("a day of the year (day: MM-DD) for a yearly schedule, and only for one")
    return Annex(amount, chosen, rule)


@attrs.frozen
class NewDuty:
    """A duty an admitted party takes on, in the rule file's shape (`duties:`), its party the
    new party's."""

    id: str
    kind: str
    what: str
    every: str = "year"
    first_month: int = 1
    deadline: DutyDeadline | None = None


def new_duty(raw: Any) -> NewDuty:
    keys = {"id", "kind", "what", "every", "first_month", "deadline"}
    if not isinstance(raw, Mapping) or not {"id", "kind", "what"} <= set(raw) or not set(raw) <= keys:
        raise ValueError(
            "a commitment as in the rule file's duties: {id, kind: report|commitment, what, every, "
            "first_month, deadline (optional)}"
        )
    ident = raw["id"]
    if not isinstance(ident, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        raise ValueError("id: lower-case letters, digits and hyphens")
    if raw["kind"] not in ("report", "commitment"):
        raise ValueError("kind: report or commitment")
    every = raw.get("every", "year")
    if every not in DUTY_EVERY:
        raise ValueError(f"every: one of {', '.join(DUTY_EVERY)}")
    first = _count(raw, "first_month", 1, 12) if "first_month" in raw else 1
    deadline = duty_deadline(raw["deadline"]) if raw.get("deadline") is not None else None
    return NewDuty(ident, str(raw["kind"]), text(raw["what"]), str(every), first, deadline)


def day_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=1)
