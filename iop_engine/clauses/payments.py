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
from typing import TYPE_CHECKING, Any

from iop_engine.clauses.base import Clause, RuleSpec
from iop_engine.clauses.conditions import Conditions, funding_facts
from iop_engine.clauses.instalments import Instalment, Planner, part_end
from iop_engine.clauses.patterns import fact, timer
from iop_engine.events import PaymentMade
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, Citation, Period, cites_of
from iop_engine.money import Span, texts
from iop_engine.phrases import phrase, words
from iop_engine.replay.money_book import Payment as Paid
from iop_engine.schedules import PER_YEAR

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run
    from iop_engine.replay.lifecycle import EndCause


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
        self.planner = Planner(self.a, run.horizon)

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
            if p.due is not None and p.due.unregulated is not None:
                self.run.log.add(
                    "unregulated",
                    max(self.a.term_start, p.starts or self.a.term_start),  # a stream from a later day
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
                self._schedule(self.planner.yearly(p))
            elif p.schedule.value == "list":
                self._schedule(self.planner.listed(p))

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
            until = last if whole else part_end(last, PER_YEAR[str(schedule)])
            if first <= until:
                self.planned_until[p.id] = until
                if whole and p.first_period is not None and p.first_period.reading is not None:
                    cites = cites_of(p.first_period)
                    trace = ("money.first_period",)
                    self.run.log.reading(period.start, cites, trace, p.first_period.reading, "")
                self._schedule(self.planner.parts(p, Span(first, until), initial))

    def _schedule(self, instalments: Iterable[Instalment]) -> None:
        streams = {p.id: p for p in self.a.payments}
        for planned in instalments:
            gone = self.run.life.party_until(planned.party)
            if gone is not None and planned.covers.last > gone and planned.due > gone:
                if planned.covers.first > gone:
                    continue  # the payee has left before this part
                inst = planned.cut(gone, streams[planned.stream], self.planner.roll)
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
        amount: dict[str, Any] = {"amount": str(inst.amount), **texts("amount", inst.amount)}
        no_new_from = self._no_new_payment_from()
        if (
            no_new_from is not None
            and inst.due >= no_new_from[0]
            and not self._paid_by(inst, no_new_from[0] - dt.timedelta(days=1))
        ):
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
        amount: dict[str, Any] = {"amount": str(pay.amount), **texts("amount", pay.amount)}
        no_new_from = self._no_new_payment_from()
        late = list(self._late_instalments(pay))
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
        elif not late:
            # Every payment is accounted for: one neither late nor after the end counts against
            # what falls due, and the answer says so.
            cites, period = self.run.cites(act.rule), pay.covers.to_dict()
            self.run.log.add(
                "payment_received", pay.date, cites, (act.rule,), party=pay.party, period=period, **amount
            )
        for inst in late:
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
            self.run.late_by_the_letter(pay.date, inst.pay_by, inst.cites, (act.rule,), party=pay.party)

    def _no_new_payment_from(self) -> tuple[dt.date, tuple[Citation, ...]] | None:
        from iop_engine.clauses.circumstances import Circumstances  # noqa: PLC0415 - circular

        circumstances = self.run.clause(Circumstances)
        return circumstances.no_new_payment() if circumstances else None

    def _paid_by(self, inst: Instalment, last_day: dt.date) -> bool:
        """Whether a payment for this instalment's time was made on or before `last_day`: in time
        for its last day to pay, or before a notice that stops new payments (then it is kept
        compensation, not a new payment)."""
        return any(
            p.party == inst.party and p.date <= last_day and inst.covers.overlap(p.covers)
            for p in self.run.book.payments
        )

    def _late_instalments(self, pay: Paid) -> Iterator[Instalment]:
        """Instalments this payment is for, whose last day to pay had passed, and that no earlier
        payment settled in time."""
        for ref, inst in enumerate(self.instalments):
            if ref in self.withdrawn or inst.pay_by is None or inst.amount is None or inst.party != pay.party:
                continue
            if pay.date <= inst.pay_by or not inst.covers.overlap(pay.covers):
                continue
            if not self._paid_by(inst, inst.pay_by):
                yield inst
