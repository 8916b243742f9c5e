"""Payments to the idea-based parties: what falls due when, what was paid, and what came late.

At the start the clause says what the documents leave open (when in a quarter payment is due)
and schedules yearly grants; each quarterly period's instalments are planned when the period
begins (the initial period pro rata where the rule file says how). Rules:
- `money.instalment_due`: an instalment's day: `payment_due`, or `payment_withheld` in a year
  without funds, or `unregulated` where the amount is left to renegotiation;
- `money.payment`: a recorded payment, after the payee's end (`payment_after_end`) or late
  (`payment_late`); payments are evaluated before the start and after the end too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.conditions import Conditions, funding_facts
from iop_engine.clauses.patterns import fact, timer
from iop_engine.dates import action_deadline
from iop_engine.events import PaymentMade
from iop_engine.inference import Activation, Rule
from iop_engine.messages import phrase
from iop_engine.model import Agreement, Citation, Money, Period, cites_of
from iop_engine.money import ORE, Span, is_full_quarter, quarters, show, split, split_by_days
from iop_engine.replay.money_book import Payment

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run


@attrs.frozen
class Instalment:
    party: str
    covers: Span
    due: dt.date  # the nominal day; the first day of `covers` where the documents give none
    pay_by: dt.date | None  # the rolled last day to pay, None where the documents give none
    amount: Decimal | None  # None: the documents leave the amount to renegotiation
    method_sv: str
    method_en: str
    cites: tuple[Citation, ...]


def money_of(agreement: Agreement) -> Money:
    assert agreement.money is not None
    return agreement.money


def _quarter_share(annual: Decimal, part: Span) -> Decimal:
    """A whole calendar quarter gets its quarter of the year (the four add up to `annual`); a
    part of a quarter gets its calendar days' share of the year."""
    if is_full_quarter(part):
        return split(annual, [1, 1, 1, 1])[(part.first.month - 1) // 3]
    year = Span(dt.date(part.first.year, 1, 1), dt.date(part.first.year, 12, 31))
    return split_by_days(annual, year, [part])[0]


class Payments(Clause):
    outside_term_events = frozenset({"payment_made"})

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.m = money_of(self.a)
        self.instalments: list[Instalment] = []

    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return agreement.money is not None

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        m = money_of(agreement)
        yield spec(
            Rule("money.instalment_due", (("tm", timer("instalment")),)),
            cls.on_instalment_due,
            m.schedule,
            m.due,
            m.annual_amount,
        )
        yield spec(Rule("money.payment", (("y", fact("ev_payment_made")),)), cls.on_payment, m.schedule)

    # -- the schedule --------------------------------------------------------------------------
    def start(self) -> None:
        """Say what the documents leave open about when payments are due, and schedule the yearly
        grants (a conflict over the annual amount is reported with the other conflicting values)."""
        m, start = self.m, self.a.term_start
        if m.due.unregulated is not None:
            self.run.log.add(
                "unregulated",
                start,
                cites_of(m.due, m.schedule),
                ("money.schedule",),
                looked_at=list(m.due.unregulated.looked_at),
                text_sv=m.due.unregulated.note,
                text_en=phrase("text", "unregulated.payment_due_day")["text_en"],
            )
        if m.schedule.value == "yearly":
            self._schedule(self._yearly())

    def _yearly(self) -> Iterator[Instalment]:
        for year in range(self.a.term_start.year, self.a.cap.year + 1):
            grant = self.m.grant(year)
            covers = Span(max(dt.date(year, 1, 1), self.a.term_start), min(dt.date(year, 12, 31), self.a.cap))
            due = self._due_in(year, covers)
            words = phrase("method", "payment_due.grant", year=year)
            yield Instalment(
                self.m.payees[0],
                covers,
                due,
                self._pay_by(due),
                grant.amount.value if grant else None,
                words["method_sv"],
                words["method_en"],
                cites_of(self.m.due, grant.amount if grant else None),
            )

    def period_begins(self, period: Period, initial: bool) -> None:
        self._schedule(self._quarterly(Span(period.start, period.end), initial))

    def _schedule(self, instalments: Iterable[Instalment]) -> None:
        for inst in instalments:
            self.instalments.append(inst)
            self.run.clock.schedule(inst.due, "instalment", ref=len(self.instalments) - 1)

    def _due_in(self, year: int, covers: Span) -> dt.date:
        value = self.m.due.value
        if value is None or value == "period_start":
            return covers.first
        month, day = map(int, value.split("-"))
        return dt.date(year, month, day)

    def _pay_by(self, due: dt.date) -> dt.date | None:
        if self.m.due.value is None:
            return None
        return action_deadline(due, self.a.deadline_roll.value or "none").effective

    def _quarterly(self, span: Span, initial: bool) -> list[Instalment]:
        """The quarterly instalments of one period of a quarterly schedule."""
        m = self.m
        if m.schedule.value != "quarterly" or m.annual_amount is None or m.annual_amount.value is None:
            return []
        annual = m.annual_amount.value
        parts = quarters(span)
        months = m.first_period_months
        if initial and months is not None and months.value is not None:
            if months.ambiguity is not None:
                en = phrase("text", "ambiguity.first_period_months", months=months.value)["text_en"]
                self.run.log.add(
                    "ambiguity",
                    span.first,
                    cites_of(months),
                    ("money.first_period",),
                    text_sv=months.ambiguity.note,
                    text_en=en,
                )
            amount = (annual * months.value / 12).quantize(ORE)
            shares = split(amount, [p.days for p in parts])
            words = phrase(
                "method",
                "payment_due.first_period",
                months=months.value,
                annual=annual,
                annual_text=show(annual),
                amount=amount,
                amount_text=show(amount),
            )
            cites = cites_of(m.annual_amount, months, m.schedule)
        else:
            shares = [_quarter_share(annual, p) for p in parts]
            words = phrase("method", "payment_due.quarter", annual=annual, annual_text=show(annual))
            cites = cites_of(m.annual_amount, m.schedule)
        out = []
        for part, share in zip(parts, shares, strict=True):
            due = self._due_in(part.first.year, part)
            out.append(
                Instalment(
                    m.payees[0],
                    part,
                    due,
                    self._pay_by(due),
                    share,
                    words["method_sv"],
                    words["method_en"],
                    cites + cites_of(m.due),
                )
            )
        return out

    def on_instalment_due(self, act: Activation) -> None:
        inst = self.instalments[int(act.facts["tm"]["ref"])]
        year = inst.covers.first.year
        period = inst.covers.to_dict()
        trace = ("money.instalment_due",)
        if inst.amount is None:
            grant = self.m.grant(year)
            note = grant.amount.unregulated.note if grant and grant.amount.unregulated else ""
            words = phrase("text", "unregulated.no_amount", year=year)
            self.run.log.add(
                "unregulated",
                inst.due,
                inst.cites,
                trace,
                party=inst.party,
                period=period,
                text_sv=note or words["text_sv"],
                text_en=words["text_en"],
            )
            return
        conditions = self.run.clause(Conditions)
        if conditions is not None and year in conditions.unfunded_years:
            self.run.log.add(
                "payment_withheld",
                inst.due,
                inst.cites + cites_of(*funding_facts(self.a)),
                trace,
                party=inst.party,
                amount=str(inst.amount),
                amount_text=show(inst.amount),
                period=period,
                year=year,
            )
            return
        self.run.book.add("due", inst.due, inst.party, inst.amount)
        self.run.log.add(
            "payment_due",
            inst.due,
            inst.cites,
            trace,
            party=inst.party,
            amount=str(inst.amount),
            amount_text=show(inst.amount),
            period=period,
            pay_by=inst.pay_by.isoformat() if inst.pay_by else None,
            method=inst.method_sv,
            method_sv=inst.method_sv,
            method_en=inst.method_en,
        )

    # -- payments --------------------------------------------------------------------------------
    def on_payment(self, act: Activation) -> None:
        ev = self.event(act, "y", PaymentMade)
        life = self.run.life
        ends = [d for d in (life.end, life.party_until(ev.to)) if d is not None]
        end = min(ends) if ends else None
        pay = Payment(ev.position, ev.date, ev.to, ev.amount, ev.covers)
        self.run.book.payments.append(pay)
        amount: dict[str, Any] = {"amount": str(pay.amount), "amount_text": show(pay.amount)}
        no_new_from = self._no_new_payment_from()
        if end is not None and pay.date > end:
            reason = phrase("reason", "payment_after_end.party_ended", end=end.isoformat())
            self.run.log.add(
                "payment_after_end",
                pay.date,
                cites_of(self.a.term.end),
                (act.rule,),
                party=pay.party,
                end=end.isoformat(),
                **amount,
                **reason,
            )
        elif no_new_from is not None and pay.date >= no_new_from[0]:
            since, cites = no_new_from
            reason = phrase("reason", "payment_after_end.changed_circumstances", since=since.isoformat())
            self.run.log.add(
                "payment_after_end",
                pay.date,
                cites,
                (act.rule,),
                party=pay.party,
                end=since.isoformat(),
                **amount,
                **reason,
            )
        for inst in self._late_instalments(pay):
            assert inst.pay_by is not None
            self.run.log.add(
                "payment_late",
                pay.date,
                inst.cites,
                (act.rule,),
                party=pay.party,
                due=inst.due.isoformat(),
                pay_by=inst.pay_by.isoformat(),
                days_late=(pay.date - inst.pay_by).days,
                period=inst.covers.to_dict(),
                **amount,
            )

    def _no_new_payment_from(self) -> tuple[dt.date, tuple[Citation, ...]] | None:
        from iop_engine.clauses.circumstances import Circumstances  # noqa: PLC0415 - circular

        circumstances = self.run.clause(Circumstances)
        return circumstances.no_new_payment() if circumstances else None

    def _late_instalments(self, pay: Payment) -> Iterator[Instalment]:
        """Instalments this payment is for, whose last day to pay had passed, and that no earlier
        payment settled in time."""
        for inst in self.instalments:
            if inst.pay_by is None or inst.amount is None or inst.party != pay.party:
                continue
            if pay.date <= inst.pay_by or not inst.covers.overlap(pay.covers):
                continue
            in_time = any(
                p.party == pay.party and p.date <= inst.pay_by and inst.covers.overlap(p.covers)
                for p in self.run.book.payments
            )
            if not in_time:
                yield inst
