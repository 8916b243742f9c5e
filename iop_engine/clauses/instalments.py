"""The instalments of a payment stream: which parts of the year it pays, how much each part is,
and when it falls due. Pure planning over the vocabulary's values and the money calculus; the
payments clause schedules what is planned and says what fell due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from decimal import Decimal

import attrs

from iop_engine.dates import action_deadline
from iop_engine.model import Agreement, Citation, cites_of
from iop_engine.money import ORE, Span, calendar_parts, part_share, percent, split, split_by_days, texts
from iop_engine.phrases import words
from iop_engine.schedules import PER_YEAR, Annual, DueDay, annual_for, due_day
from iop_engine.vocabulary.money import Payment


@attrs.frozen
class Instalment:
    party: str
    covers: Span
    due: dt.date  # the day it falls due; the first day of `covers` where the documents give none
    pay_by: dt.date | None  # the rolled last day to pay, None where the documents give none
    amount: Decimal | None  # None: the amount is not known (see `unknown`)
    method: tuple[str, str]  # how the amount was computed, Swedish and English
    cites: tuple[Citation, ...]
    unknown: tuple[str, str] = ("", "")  # why the amount is not known, Swedish and English
    stream: str = ""  # the payment stream's id
    # The year's annual amount and its parts per year, where the amount is that amount's share
    # (a part cut short then gets its calendar days' share of the year, as any part of a part).
    annual: Decimal | None = None
    per_year: int = 0

    def cut(self, last: dt.date, p: Payment, roll: str) -> Instalment:
        """This instalment for its days up to `last` only (a payee's last day inside its part),
        falling due as that shorter part does (arrears counted from `last`)."""
        covers = Span(self.covers.first, last)
        if self.amount is None:
            amount = None
        elif self.annual is not None:
            amount = part_share(self.annual, covers, self.per_year)
        else:
            amount = split_by_days(self.amount, self.covers, [covers])[0]
        listed = p.schedule.value == "list"
        when = DueDay(self.due, self.pay_by) if listed else due_day(p.due_rule, covers, roll)
        more = words("payment_due.cut", last=last.isoformat())
        method = (self.method[0] + more[0], self.method[1] + more[1])
        return attrs.evolve(
            self, covers=covers, due=when.due, pay_by=when.pay_by, amount=amount, method=method
        )


class Planner:
    """Plans one agreement's instalments up to the last day a replay follows (`horizon`)."""

    def __init__(self, agreement: Agreement, horizon: dt.date) -> None:
        self.a = agreement
        self.horizon = horizon
        self.roll = agreement.deadline_roll.value or "none"
        self.indices: Mapping[str, Mapping[int, Decimal]] = {i.id: i.values for i in agreement.indices}

    def span(self, p: Payment) -> Span | None:
        """The days this payment stream applies: its own `from`/`until` within the agreement's life."""
        first = max(p.starts or self.a.term_start, self.a.term_start)
        last = min(p.ends or self.horizon, self.horizon)
        return Span(first, last) if first <= last else None

    def on(self, p: Payment, due: dt.date, covers: Span) -> Payment:
        """The payment stream `p` on the terms that apply to a part: those in force on the day it
        falls due, or on its last day where the part was over before it fell due (paid in
        arrears). A part over, or paid, before an amendment applies keeps the old amount."""
        day = min(due, covers.last)
        terms = self.a.on(day)
        if terms is self.a:
            return p
        return next((q for q in terms.payments if q.id == p.id), p)

    def annual(self, p: Payment, year: int) -> Annual:
        base = p.annual_amount.value if p.annual_amount else None
        return annual_for(base, p.adjustments, self.indices, year) if base is not None else Annual(None)

    def yearly(self, stream: Payment) -> Iterator[Instalment]:
        span = self.span(stream)
        for part in calendar_parts(span, 1) if span else ():
            when = due_day(stream.due_rule, part, self.roll)
            p = self.on(stream, when.due, part)
            grant = next((g for g in p.grants if g.year == part.first.year), None)
            amount: Decimal | None
            if grant is not None or not p.annual_amount:
                amount = grant.amount.value if grant else None
                method = words("payment_due.grant", year=part.first.year)
                why = (
                    (grant.amount.unregulated.note, grant.amount.unregulated.en or "")
                    if grant and grant.amount.unregulated
                    else ("", "")
                )
                cites = cites_of(p.due, grant.amount if grant else None)
                yearly_annual = None
            else:
                annual = self.annual(p, part.first.year)
                amount = part_share(annual.amount, part, 1) if annual.amount is not None else None
                method, why = self._method(p, "payment_due.year", annual, part.first.year)
                cites = cites_of(p.due, p.annual_amount)
                yearly_annual = annual.amount
            for payee in p.payees:
                yield Instalment(
                    payee, part, when.due, when.pay_by, amount, method, cites, why, p.id, yearly_annual, 1
                )

    def listed(self, p: Payment) -> Iterator[Instalment]:
        for item in p.instalments:
            covers = Span(*item.covers)
            last = action_deadline(item.due, self.roll).effective
            unknown = item.amount.unregulated
            why = (unknown.note, unknown.en or "") if unknown else ("", "")
            for payee in p.payees:
                yield Instalment(
                    payee,
                    covers,
                    item.due,
                    last,
                    item.amount.value,
                    words("payment_due.listed"),
                    cites_of(p.schedule, item.amount),
                    why,
                    p.id,
                )

    def parts(self, p: Payment, period: Span, initial: bool) -> Iterator[Instalment]:
        """The instalments of one period for a schedule that divides the year."""
        span = self.span(p)
        covered = span.overlap(period) if span else None
        if covered is None:
            return
        per_year = PER_YEAR[str(p.schedule.value)]
        parts = calendar_parts(covered, per_year)
        if p.first_period is not None and initial:
            yield from self._first_period(
                p, parts, p.first_period.value.months if p.first_period.value else None
            )
            return
        stream = p
        for part in parts:
            when = due_day(stream.due_rule, part, self.roll)
            p = self.on(stream, when.due, part)
            annual = self.annual(p, part.first.year)
            amount = part_share(annual.amount, part, per_year) if annual.amount is not None else None
            method, why = self._method(p, f"payment_due.{p.schedule.value}", annual, part.first.year)
            cites = cites_of(p.annual_amount, p.schedule) + cites_of(p.due)
            for payee in p.payees:
                yield Instalment(
                    payee,
                    part,
                    when.due,
                    when.pay_by,
                    amount,
                    method,
                    cites,
                    why,
                    p.id,
                    annual.amount,
                    per_year,
                )

    def _first_period(self, p: Payment, parts: list[Span], months: int | None) -> Iterator[Instalment]:
        """The initial period paid as `months` twelfths of the annual amount, shared over its
        parts by calendar days."""
        assert p.first_period is not None
        annual = self.annual(p, parts[0].first.year)
        cites = cites_of(p.annual_amount, p.first_period, p.schedule) + cites_of(p.due)
        if months is None:
            shares: list[Decimal | None] = [None] * len(parts)
            method, unknown = ("", ""), p.first_period.unregulated
            why = (unknown.note, unknown.en or "") if unknown else words("unregulated.first_period")
        elif annual.amount is None:
            shares = [None] * len(parts)
            method, why = self._method(p, "payment_due.year", annual, parts[0].first.year)
        else:
            amount = (annual.amount * months / 12).quantize(ORE)
            shares = list(split(amount, [part.days for part in parts]))
            method = words(
                f"payment_due.first_period.{p.schedule.value}",
                months=months,
                annual=annual.amount,
                **texts("annual", annual.amount),
                amount=amount,
                **texts("amount", amount),
            )
            why = ("", "")
        for part, share in zip(parts, shares, strict=True):
            when = due_day(p.due_rule, part, self.roll)
            for payee in p.payees:
                yield Instalment(payee, part, when.due, when.pay_by, share, method, cites, why, p.id)

    def _method(
        self, p: Payment, key: str, annual: Annual, year: int
    ) -> tuple[tuple[str, str], tuple[str, str]]:
        """How an amount was computed, and (where it could not be) why."""
        if annual.amount is None:
            if annual.missing is not None:
                index, missing = annual.missing
                name = next((i.name for i in self.a.indices if i.id == index), index)
                return ("", ""), words("unregulated.index_missing", index=name, year=missing, for_year=year)
            note = p.annual_amount.unregulated if p.annual_amount and p.annual_amount.unregulated else None
            return ("", ""), (note.note, note.en or "") if note else words("unregulated.no_amount", year=year)
        sv, en = words(key, annual=annual.amount, **texts("annual", annual.amount))
        step = next((s for s in annual.steps if s.year == year), None)
        if step is not None:
            series = next(i for i in self.a.indices if i.id == step.index)
            more = words(
                "payment_due.adjusted",
                year=year,
                index=series.name,
                share_sv=percent(step.share)[0],
                share_en=percent(step.share)[1],
                earlier_year=step.earlier[0],
                earlier=step.earlier[1],
                earlier_sv=str(step.earlier[1]).replace(".", ","),
                later_year=step.later[0],
                later=step.later[1],
                later_sv=str(step.later[1]).replace(".", ","),
                unit=step.round_down_to,
            )
            sv, en = sv + more[0], en + more[1]
        return (sv, en), ("", "")


def part_end(day: dt.date, per_year: int) -> dt.date:
    """The last day of the part of the year (`per_year` parts) that `day` lies in."""
    year = Span(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    return next(part.last for part in calendar_parts(year, per_year) if part.first <= day <= part.last)
