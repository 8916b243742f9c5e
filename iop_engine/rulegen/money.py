"""Generated parts: payments and their schedules, due rules, adjustments, contributions, repayment."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from iop_engine.rulegen.draft import (
    EXCEPTIONS,
    FIRST_DAY,
    LAST_DAY,
    Data,
    Dates,
    Draft,
    People,
    cents,
    put,
)
from iop_engine.vocabulary.money import (
    BeyondNotice,
    BudgetItem,
    Contribution,
    Grant,
    Listed,
    Misuse,
    Payment,
    RepaymentException,
    RescissionRepayment,
)

if TYPE_CHECKING:
    pass


def due_rule(d: Draft, schedule: str | None) -> Data:
    """A due rule that fits `schedule`: a day of the year only for yearly payments (or where the
    schedule is not known), a day of the month never for them."""
    kinds = ["days_after", "within_days", "part_start"]
    if schedule in ("yearly", None):
        kinds.append("day")
    if schedule != "yearly":
        kinds.append("day_of_month")
    kind = d.pick(kinds)
    if kind == "day":
        return d.day_of_year()
    if kind == "day_of_month":
        return {"day_of_month": d.number(1, 31)}
    if kind == "days_after":
        rule: Data = {"days_after": d.number(0, 90)}
        if d.flag():
            rule["counted_from"] = d.pick(("start", "end"))
        return rule
    if kind == "within_days":
        return {"within_days": d.number(1, 31)}
    return {"part_start": True}


def amount(d: Draft, least: int = 100_000, most: int = 500_000_000) -> str:
    return cents(d.number(least, most))


def budget(d: Draft, annual: str) -> list[Data]:
    """Budget items adding up to `annual` (each with a value, so the loader can add them up)."""
    st = d.st
    total = round(float(annual) * 100)
    cuts = sorted(d.draw(st.lists(st.integers(0, total), max_size=3)))
    names = ("Personal", "Lokaler", "Konsulter", "Tolk")
    return [
        {
            "name": names[i],
            "amount": d.fact((BudgetItem, "amount"), st.just(cents(hi - lo)), needs_value=True),
        }
        for i, (lo, hi) in enumerate(itertools.pairwise([0, *cuts, total]))
    ]


def payment(d: Draft, people: People, dates: Dates, indices: list[Data], schedules: Sequence[str]) -> Data:
    st = d.st
    kind = d.pick(schedules)
    schedule = d.fact((Payment, "schedule"), st.just(kind))
    known = kind if "value" in schedule else None
    out: Data = {
        "id": d.next_id("ersattning"),
        "payer": people.public,
        "payees": d.draw(st.lists(st.sampled_from(people.idea), min_size=1, max_size=4, unique=True)),
        "schedule": schedule,
    }
    if known not in ("list", "per_annex", None) or d.flag():  # a list's instalments carry their days
        out["due"] = d.fact((Payment, "due"), lambda: due_rule(d, known))
    with_amount = kind not in ("per_annex", "list") or d.flag(4)
    if kind == "yearly" and d.flag():
        chosen = d.draw(st.lists(st.sampled_from(list(dates.years)), min_size=1, max_size=4, unique=True))
        grant = (Grant, "amount")
        out["grants"] = [
            {"year": year, "amount": d.fact(grant, lambda: amount(d))} for year in sorted(chosen)
        ]
        with_amount = d.flag(3)
    if with_amount:
        out["annual_amount"] = d.fact((Payment, "annual_amount"), lambda: amount(d))
        annual = out["annual_amount"].get("value")
        if annual is not None and d.flag(3):
            out["budget_items"] = budget(d, annual)
    if kind in ("monthly", "quarterly", "tertial", "half_yearly") and d.flag(3):
        months = st.integers(1, 12).map(lambda m: {"months": m})
        out["first_period"] = d.fact((Payment, "first_period"), months)
    adjustable = "value" in out.get("annual_amount", {}) or "grants" in out
    if adjustable and d.flag(3):
        out["adjustments"] = d.some(1, 2, lambda: adjustment(d, indices, dates.years))
    if known == "list":
        out["instalments"] = d.some(1, 4, lambda: listed(d, dates))
    if d.flag(4):
        out["from"] = d.day(max(FIRST_DAY, dates.start - dt.timedelta(days=60)), dates.last)
    if d.flag(4):
        out["until"] = d.day(out.get("from", dates.start), min(LAST_DAY, dates.last + dt.timedelta(days=60)))
    return out


def adjustment(d: Draft, indices: list[Data], years: range) -> Data:
    st = d.st
    if not indices or d.flag(4):
        first = years[0] - 3
        series = st.lists(st.integers(800, 2500), min_size=1, max_size=len(years) + 3)
        figures = {first + k: f"{x // 10}.{x % 10}" for k, x in enumerate(d.draw(series))}
        if len(figures) > 2 and d.flag(4):
            figures.pop(first + 1)  # a figure not (yet) published
        indices.append(
            {"id": d.next_id("index"), "name": "Arbetskostnadsindex (AKI), SCB", "values": figures}
        )
    out: Data = {
        "index": d.pick([x["id"] for x in indices]),
        "from_year": d.pick(list(years)),
        "share": d.pick(("1", "0.5", "0.75", "0.333")),
    }
    if d.flag():
        out["lag"] = d.number(0, 2)
    if d.flag():
        out["round_down_to"] = d.pick((1, 10, 100, 1000))
    if d.flag():
        out["cite"] = d.cite()
    return out


def listed(d: Draft, dates: Dates) -> Data:
    """An instalment of a list, paying for days within the agreement's life (up to its cap)."""
    first = d.day(dates.start, dates.last)
    last = d.day(first, min(dates.cap or LAST_DAY, first + dt.timedelta(days=366)))
    return {
        "covers": [first, last],
        "due": d.day(max(FIRST_DAY, first - dt.timedelta(days=30)), last),
        "amount": d.fact((Listed, "amount"), lambda: amount(d)),
    }


def contribution(d: Draft, people: People, payments: list[Data]) -> Data:
    st = d.st
    contribution: Data = {
        "id": d.next_id("insats"),
        "party": d.pick(people.idea),
        "what": d.fact((Contribution, "what"), d.text),
    }
    if d.flag():
        contribution["amount"] = d.fact((Contribution, "amount"), lambda: amount(d, 100, 100_000_000))
    else:
        contribution["share_of"] = d.pick([p["id"] for p in payments])
        contribution["share"] = d.fact((Contribution, "share"), st.sampled_from(["0.10", "0.05", "0.5", "1"]))
    put(contribution, "due", d.optional_fact((Contribution, "due"), d.day_of_year))
    return contribution


def repayment(d: Draft) -> Data:
    st = d.st
    out: Data = {}
    if d.flag():
        exceptions = d.draw(st.lists(st.sampled_from(EXCEPTIONS), max_size=3, unique=True))
        misuse: Data = {
            "discretionary": d.fact((Misuse, "discretionary"), st.booleans()),
            "ground": d.fact((Misuse, "ground"), d.text),
        }
        text = (RepaymentException, "text")
        put(misuse, "exceptions", [{"id": x, "text": d.fact(text, d.text), "en": en} for x, en in exceptions])
        out["misuse"] = misuse
    if d.flag():
        out["beyond_notice"] = {"discretionary": d.fact((BeyondNotice, "discretionary"), st.booleans())}
    if d.flag():
        rescission: Data = {"discretionary": d.fact((RescissionRepayment, "discretionary"), st.booleans())}
        extent = st.sampled_from(["all", "part_or_all"])
        put(rescission, "extent", d.optional_fact((RescissionRepayment, "extent"), extent))
        out["rescission"] = rescission
    return out
