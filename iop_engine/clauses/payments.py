"""Payments to the idea-based parties: what falls due when, what was paid, and what came late.

Each payment stream of the rule file pays each of its payees on its schedule. At the start the
clause says what the documents leave open (when a part is due) and plans yearly grants and
explicit lists; the instalments of a schedule that divides the year (monthly, quarterly, tertial,
half-yearly) are planned when each period begins, the initial period pro rata where the rule
file says how. An amount adjusted by an index is computed year by year (`schedules.annual_for`).
Rules:
- `money.instalment_due`: an instalment's day: `payment_due`, or `payment_withheld` in a year
  without funds, or `unregulated` where the amount is not known;
- `money.payment`: a recorded payment, after the payee's end (`payment_after_end`) or late
  (`payment_late`); payments are evaluated before the start and after the end too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from iop_engine.clauses.base import Clause, RuleSpec
from iop_engine.clauses.conditions import Conditions, funding_facts
from iop_engine.clauses.patterns import fact, timer
from iop_engine.dates import action_deadline
from iop_engine.events import PaymentMade
from iop_engine.inference import Activation, Rule
from iop_engine.messages import phrase, words
from iop_engine.model import Agreement, Citation, Period, cites_of
from iop_engine.money import ORE, Span, calendar_parts, part_share, percent, show, split, split_by_days
from iop_engine.replay.money_book import Payment as Paid
from iop_engine.schedules import PER_YEAR, Annual, DueDay, annual_for, due_day
from iop_engine.vocabulary.money import Payment

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run
    from iop_engine.replay.lifecycle import EndCause


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
        when = DueDay(self.due, self.pay_by) if listed else due_day(p.due.value, covers, roll)
        more = words("payment_due.cut", last=last.isoformat())
        method = (self.method[0] + more[0], self.method[1] + more[1])
        return attrs.evolve(
            self, covers=covers, due=when.due, pay_by=when.pay_by, amount=amount, method=method
        )


def _unique(*groups: Iterable[Citation]) -> tuple[Citation, ...]:
    return tuple(dict.fromkeys(c for group in groups for c in group))


class Payments(Clause):
    outside_term_events = frozenset({"payment_made"})

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.instalments: list[Instalment] = []
        self.settled: set[int] = set()  # instalments that fell due, or were withdrawn
        self.withdrawn: set[int] = set()  # cancelled or replaced by a cut one: never due
        self.planned_until: dict[str, dt.date] = {}  # per stream: the last day planned so far
        self.indices = {index.id: index.values for index in self.a.indices}

    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return bool(agreement.payments)

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        ps = agreement.payments
        due = _unique(*(cites_of(p.schedule, p.due, p.annual_amount) for p in ps))
        yield RuleSpec(
            Rule("money.instalment_due", (("tm", timer("instalment")),)), due, cls.on_instalment_due
        )
        paid = _unique(*(cites_of(p.schedule) for p in ps))
        yield RuleSpec(Rule("money.payment", (("y", fact("ev_payment_made")),)), paid, cls.on_payment)

    # -- the schedule --------------------------------------------------------------------------
    def start(self) -> None:
        """Say what the documents leave open about when payments are due, and plan the yearly
        grants and listed instalments (a conflict over an amount is reported with the other
        conflicting values)."""
        for p in self.a.payments:
            if p.due.unregulated is not None:
                self.run.log.add(
                    "unregulated",
                    self.a.term_start,
                    cites_of(p.due, p.schedule),
                    ("money.schedule",),
                    looked_at=list(p.due.unregulated.looked_at),
                    text_sv=p.due.unregulated.note,
                    text_en=p.due.unregulated.en or words("unregulated.payment_due_day")[1],
                )
            if p.schedule.value is None:
                self.run.log.unregulated(
                    self.a.term_start, p.schedule, ("money.schedule",), value=f"payments.{p.id}.schedule"
                )
            elif p.schedule.value == "yearly":
                self._schedule(self._yearly(p))
            elif p.schedule.value == "list":
                self._schedule(self._listed(p))

    def period_begins(self, period: Period, initial: bool) -> None:
        """Plan the instalments of a schedule that divides the year up to the end of the part
        the period ends in: a part is paid whole as long as the agreement runs through it, and
        cut when a payee's part ends inside it (`party_leaves`)."""
        last = period.end or self.run.horizon
        for p in self.a.payments:
            schedule = p.schedule.value
            if schedule not in PER_YEAR or schedule == "yearly":
                continue
            first = max(period.start, self.planned_until.get(p.id, dt.date.min) + dt.timedelta(days=1))
            whole = initial and p.first_period is not None  # the initial period is paid as a whole
            until = last if whole else _part_end(last, PER_YEAR[str(schedule)])
            if first <= until:
                self.planned_until[p.id] = until
                self._schedule(self._parts(p, Span(first, until), initial))

    def _schedule(self, instalments: Iterable[Instalment]) -> None:
        streams = {p.id: p for p in self.a.payments}
        for planned in instalments:
            gone = self.run.life.party_until(planned.party)
            if gone is not None and planned.covers.last > gone and planned.due > gone:
                if planned.covers.first > gone:
                    continue  # the payee has left before this part
                inst = planned.cut(gone, streams[planned.stream], self._roll())
            else:
                inst = planned
            self.instalments.append(inst)
            # An instalment may fall due after the agreement has ended (paid in arrears).
            self.run.clock.schedule(inst.due, "instalment", ref=len(self.instalments) - 1, outlives=True)

    def party_leaves(self, party: str, last_day: dt.date, cause: EndCause) -> None:
        """Nothing falls due to a payee after its part ended for time after it: its instalments
        due later are cancelled, or cut to the days up to `last_day` where they cover some of its
        time. (An instalment due while the party takes part falls due in full; the repayment
        clause says what happens to money for time after the end.)"""
        for ref, inst in enumerate(list(self.instalments)):
            if inst.party != party or ref in self.settled or inst.covers.last <= last_day:
                continue
            if inst.due <= last_day:
                continue
            self.settled.add(ref)
            self.withdrawn.add(ref)
            self._schedule([inst])  # planned again: cut to the days up to `last_day`, or dropped

    def _span(self, p: Payment) -> Span | None:
        """The days this payment stream applies: its own `from`/`until` within the agreement's life."""
        first = max(p.starts or self.a.term_start, self.a.term_start)
        last = min(p.ends or self.run.horizon, self.run.horizon)
        return Span(first, last) if first <= last else None

    def _roll(self) -> str:
        return self.a.deadline_roll.value or "none"

    def _annual(self, p: Payment, year: int) -> Annual:
        base = p.annual_amount.value if p.annual_amount else None
        return annual_for(base, p.adjustments, self.indices, year) if base is not None else Annual(None)

    def _yearly(self, p: Payment) -> Iterator[Instalment]:
        span = self._span(p)
        for part in calendar_parts(span, 1) if span else ():
            when = due_day(p.due.value, part, self._roll())
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
                annual = self._annual(p, part.first.year)
                amount = part_share(annual.amount, part, 1) if annual.amount is not None else None
                method, why = self._method(p, "payment_due.year", annual, part.first.year)
                cites = cites_of(p.due, p.annual_amount)
                yearly_annual = annual.amount
            for payee in p.payees:
                yield Instalment(
                    payee, part, when.due, when.pay_by, amount, method, cites, why, p.id, yearly_annual, 1
                )

    def _listed(self, p: Payment) -> Iterator[Instalment]:
        for item in p.instalments:
            covers = Span(*item.covers)
            last = action_deadline(item.due, self._roll()).effective
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

    def _parts(self, p: Payment, period: Span, initial: bool) -> Iterator[Instalment]:
        """The instalments of one period for a schedule that divides the year."""
        span = self._span(p)
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
        for part in parts:
            annual = self._annual(p, part.first.year)
            amount = part_share(annual.amount, part, per_year) if annual.amount is not None else None
            method, why = self._method(p, f"payment_due.{p.schedule.value}", annual, part.first.year)
            when = due_day(p.due.value, part, self._roll())
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
        if p.first_period.reading is not None:
            self.run.log.reading(
                parts[0].first, cites_of(p.first_period), ("money.first_period",), p.first_period.reading, ""
            )
        annual = self._annual(p, parts[0].first.year)
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
                annual_text=show(annual.amount),
                amount=amount,
                amount_text=show(amount),
            )
            why = ("", "")
        for part, share in zip(parts, shares, strict=True):
            when = due_day(p.due.value, part, self._roll())
            for payee in p.payees:
                yield Instalment(payee, part, when.due, when.pay_by, share, method, cites, why, p.id)

    def _method(
        self, p: Payment, key: str, annual: Annual, year: int
    ) -> tuple[tuple[str, str], tuple[str, str]]:
        """How an amount was computed, and (where it could not be) why."""
        if annual.amount is None:
            if annual.missing is not None:
                index, missing = annual.missing
                return ("", ""), words("unregulated.index_missing", index=index, year=missing, for_year=year)
            note = p.annual_amount.unregulated if p.annual_amount and p.annual_amount.unregulated else None
            return ("", ""), (note.note, note.en or "") if note else words("unregulated.no_amount", year=year)
        sv, en = words(key, annual=annual.amount, annual_text=show(annual.amount))
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
                later_year=step.later[0],
                later=step.later[1],
                unit=step.round_down_to,
            )
            sv, en = sv + more[0], en + more[1]
        return (sv, en), ("", "")

    def on_instalment_due(self, act: Activation) -> None:
        ref = int(act.facts["tm"]["ref"])
        inst = self.instalments[ref]
        if ref in self.settled or self.run.life.unknown_after(inst.due):
            return
        self.settled.add(ref)
        year = inst.covers.first.year
        period = inst.covers.to_dict()
        trace = ("money.instalment_due",)
        if inst.amount is None:
            fallback = words("unregulated.no_amount", year=year)
            self.run.log.add(
                "unregulated",
                inst.due,
                inst.cites,
                trace,
                party=inst.party,
                period=period,
                text_sv=inst.unknown[0] or fallback[0],
                text_en=inst.unknown[1] or fallback[1],
            )
            return
        conditions = self.run.clause(Conditions)
        amount: dict[str, Any] = {"amount": str(inst.amount), "amount_text": show(inst.amount)}
        no_new_from = self._no_new_payment_from()
        if no_new_from is not None and inst.due >= no_new_from[0]:
            since, cites = no_new_from
            self.run.log.add(
                "payment_withheld",
                inst.due,
                inst.cites + cites,
                trace,
                party=inst.party,
                period=period,
                since=since.isoformat(),
                template="payment_withheld.no_new_payment",
                **amount,
            )
            return
        if conditions is not None and year in conditions.unfunded_years:
            cites = inst.cites + cites_of(*funding_facts(self.a))
            self.run.log.add(
                "payment_withheld",
                inst.due,
                cites,
                trace,
                party=inst.party,
                period=period,
                year=year,
                **amount,
            )
            return
        self.run.book.add("due", inst.due, inst.party, inst.amount)
        self.run.log.add(
            "payment_due",
            inst.due,
            inst.cites,
            trace,
            party=inst.party,
            period=period,
            pay_by=inst.pay_by.isoformat() if inst.pay_by else None,
            method=inst.method[0],
            method_sv=inst.method[0],
            method_en=inst.method[1],
            **amount,
        )

    # -- payments --------------------------------------------------------------------------------
    def on_payment(self, act: Activation) -> None:
        ev = self.event(act, "y", PaymentMade)
        life = self.run.life
        ends = [d for d in (life.end, life.party_until(ev.to)) if d is not None]
        end = min(ends) if ends else None
        pay = Paid(ev.position, ev.date, ev.to, ev.amount, ev.covers)
        self.run.book.payments.append(pay)
        amount: dict[str, Any] = {"amount": str(pay.amount), "amount_text": show(pay.amount)}
        no_new_from = self._no_new_payment_from()
        if end is not None and pay.date > end:
            reason = phrase("reason", "payment_after_end.party_ended", end=end.isoformat())
            cites = cites_of(self.a.term.end)
            self.run.log.add(
                "payment_after_end",
                pay.date,
                cites,
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

    def _late_instalments(self, pay: Paid) -> Iterator[Instalment]:
        """Instalments this payment is for, whose last day to pay had passed, and that no earlier
        payment settled in time."""
        for ref, inst in enumerate(self.instalments):
            if ref in self.withdrawn or inst.pay_by is None or inst.amount is None or inst.party != pay.party:
                continue
            if pay.date <= inst.pay_by or not inst.covers.overlap(pay.covers):
                continue
            in_time = any(
                p.party == pay.party and p.date <= inst.pay_by and inst.covers.overlap(p.covers)
                for p in self.run.book.payments
            )
            if not in_time:
                yield inst


def _part_end(day: dt.date, per_year: int) -> dt.date:
    """The last day of the part of the year (`per_year` parts) that `day` lies in."""
    year = Span(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    return next(part.last for part in calendar_parts(year, per_year) if part.first <= day <= part.last)
