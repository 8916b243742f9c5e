"""The money side of a replay: what falls due, what was paid, and what may be claimed back.

The replay engine owns time and the agreement's life; it tells the ledger when a period begins,
when a payment or misuse is recorded, and how each party's part ended. The ledger computes the
amounts (with `money`) and reports findings through the replay's `report` callable, so every
money finding carries its clauses like every other finding.

Amounts in finding data are strings with two decimals ("489000.00"): the JSON output must not
turn kronor into floats. `summary()` gives the typed totals per party.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Literal, Protocol

import attrs

from iop_engine.dates import action_deadline
from iop_engine.events import Event
from iop_engine.model import Agreement, Citation, Money, PartyMoney, cites_of
from iop_engine.money import ORE, ZERO, Span, is_full_quarter, quarters, show, split, split_by_days

EndCause = Literal[
    "notice", "ended", "rescission", "expulsion", "changed_circumstances", "declined_extension"
]


class Report(Protocol):
    def __call__(
        self,
        code: str,
        date: dt.date,
        cites: Iterable[Citation],
        trace: tuple[str, ...],
        *,
        effective: dt.date | None = None,
        party: str | None = None,
        **data: Any,
    ) -> None: ...


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


@attrs.frozen
class Claim:
    """A claim the text allows, applied at the end of the replay in date order. It draws on
    `payment` alone, or (None) on every payment to the party made by its date; `wanted` None
    asks for all that is left of them."""

    date: dt.date
    party: str
    basis: str
    discretionary: bool
    cites: tuple[Citation, ...]
    trace: str
    period: Span | None
    wanted: Decimal | None
    payment: int | None
    method: Callable[[Decimal], tuple[str, str]]


@attrs.frozen
class Payment:
    position: int
    date: dt.date
    party: str
    amount: Decimal
    covers: Span


def _quarter_share(annual: Decimal, part: Span) -> Decimal:
    """A whole calendar quarter gets its quarter of the year (the four add up to `annual`); a
    part of a quarter gets its calendar days' share of the year."""
    if is_full_quarter(part):
        return split(annual, [1, 1, 1, 1])[(part.first.month - 1) // 3]
    year = Span(dt.date(part.first.year, 1, 1), dt.date(part.first.year, 12, 31))
    return split_by_days(annual, year, [part])[0]


def _always(text: tuple[str, str]) -> Callable[[Decimal], tuple[str, str]]:
    return lambda _room: text


def _money(a: Agreement) -> Money:
    assert a.money is not None
    return a.money


class Ledger:
    def __init__(self, agreement: Agreement, report: Report) -> None:
        self.a = agreement
        self.m = _money(agreement)
        self.report = report
        self.instalments: list[Instalment] = []
        self.payments: list[Payment] = []
        self.entries: list[tuple[Literal["due", "claimed", "to_assess"], dt.date, str, Decimal]] = []
        self.no_new_payment_from: dt.date | None = None
        self.ends: dict[str, tuple[dt.date, EndCause]] = {}
        self.claims: list[Claim] = []

    # -- the schedule ------------------------------------------------------------------------------
    def open(self, start: dt.date) -> list[Instalment]:
        """Say what the documents leave open about money; return the instalments known from the
        start (yearly grants), for the replay to schedule. (A conflict over the annual amount is
        reported with the agreement's other conflicting values, by the replay.)"""
        m = self.m
        if m.due.unregulated is not None:
            self.report(
                "unregulated",
                start,
                cites_of(m.due, m.schedule),
                ("money.schedule",),
                text_sv=m.due.unregulated.note,
                text_en="The documents do not say when each payment is due; lateness is not assessed.",
                looked_at=list(m.due.unregulated.looked_at),
            )
        if m.schedule.value != "yearly":
            return []
        out = []
        for year in range(self.a.term_start.year, self.a.cap.year + 1):
            grant = m.grant(year)
            covers = Span(max(dt.date(year, 1, 1), self.a.term_start), min(dt.date(year, 12, 31), self.a.cap))
            due = self._due_in(year, covers)
            out.append(
                Instalment(
                    m.payees[0],
                    covers,
                    due,
                    self._pay_by(due),
                    grant.amount.value if grant else None,
                    f"bidraget för {year}",
                    f"the grant for {year}",
                    cites_of(m.due, grant.amount if grant else None),
                )
            )
        self.instalments.extend(out)
        return out

    def _due_in(self, year: int, covers: Span) -> dt.date:
        value = self.m.due.value
        if value is None or value == "period_start":
            return covers.first
        month, day = map(int, value.split("-"))
        return dt.date(year, month, day)

    def _pay_by(self, due: dt.date) -> dt.date | None:
        if self.m.due.value is None:
            return None
        policy = self.a.deadline_roll.value or "none"
        return action_deadline(due, policy).effective

    def plan_period(self, span: Span, initial: bool) -> list[Instalment]:
        """The quarterly instalments of one period of a quarterly schedule."""
        m = self.m
        if m.schedule.value != "quarterly" or m.annual_amount is None or m.annual_amount.value is None:
            return []
        annual = m.annual_amount.value
        parts = quarters(span)
        months = m.first_period_months
        if initial and months is not None and months.value is not None:
            if months.ambiguity is not None:
                self.report(
                    "ambiguity",
                    span.first,
                    cites_of(months),
                    ("money.first_period",),
                    text_sv=months.ambiguity.note,
                    text_en=f"The initial period is paid as {months.value} months of the annual amount; "
                    "another reading pays it by the calendar days of the period.",
                )
            amount = (annual * months.value / 12).quantize(ORE)
            shares = split(amount, [p.days for p in parts])
            method_sv = (
                f"{months.value}/12 av årsbeloppet {show(annual)} = {show(amount)} för den inledande "
                "perioden, fördelat på kvartalen efter kalenderdagar"
            )
            method_en = (
                f"{months.value}/12 of the annual amount {annual} = {amount} for the initial period, "
                "shared over the quarters by calendar days"
            )
            cites = cites_of(m.annual_amount, months, m.schedule)
        else:
            shares = [_quarter_share(annual, p) for p in parts]
            method_sv = f"en fjärdedel av årsbeloppet {show(annual)} per helt kvartal, annars efter dagar"
            method_en = f"a quarter of the annual amount {annual} per whole quarter, otherwise by days"
            cites = cites_of(m.annual_amount, m.schedule)
        out = [
            Instalment(
                m.payees[0],
                part,
                self._due_in(part.first.year, part),
                self._pay_by(self._due_in(part.first.year, part)),
                share,
                method_sv,
                method_en,
                cites + cites_of(m.due),
            )
            for part, share in zip(parts, shares, strict=True)
        ]
        self.instalments.extend(out)
        return out

    def instalment_due(self, index: int, unfunded: Callable[[int], bool]) -> None:
        inst = self.instalments[index]
        year = inst.covers.first.year
        period = inst.covers.to_dict()
        if inst.amount is None:
            grant = self.m.grant(year)
            note = grant.amount.unregulated.note if grant and grant.amount.unregulated else ""
            self.report(
                "unregulated",
                inst.due,
                inst.cites,
                ("money.instalment_due",),
                party=inst.party,
                text_sv=note or f"Beloppet för {year} anges inte i dokumenten.",
                text_en=f"The documents give no amount for {year}: it is to be renegotiated.",
                period=period,
            )
            return
        if unfunded(year):
            self.report(
                "payment_withheld",
                inst.due,
                inst.cites + cites_of(*(c.text for c in self.a.term.conditions if c.kind == "funding")),
                ("money.instalment_due",),
                party=inst.party,
                amount=str(inst.amount),
                amount_text=show(inst.amount),
                period=period,
                year=year,
            )
            return
        self.entries.append(("due", inst.due, inst.party, inst.amount))
        self.report(
            "payment_due",
            inst.due,
            inst.cites,
            ("money.instalment_due",),
            party=inst.party,
            amount=str(inst.amount),
            amount_text=show(inst.amount),
            period=period,
            pay_by=inst.pay_by.isoformat() if inst.pay_by else None,
            method=inst.method_sv,
            method_sv=inst.method_sv,
            method_en=inst.method_en,
        )

    # -- payments ----------------------------------------------------------------------------------
    def payment(self, ev: Event, trace: str, end: dt.date | None) -> None:
        """Record a payment; `end` is the last day of the payee's part, if it has ended."""
        pay = Payment(ev.position, ev.date, ev.get("to"), ev.get("amount"), ev.get("covers"))
        self.payments.append(pay)
        if end is not None and pay.date > end:
            self.report(
                "payment_after_end",
                pay.date,
                cites_of(self.a.term.end),
                (trace,),
                party=pay.party,
                amount=str(pay.amount),
                amount_text=show(pay.amount),
                end=end.isoformat(),
                reason_sv=f"partens del i partnerskapet upphörde {end}",
                reason_en=f"the party's part in the partnership ended on {end}",
            )
        elif self.no_new_payment_from is not None and pay.date >= self.no_new_payment_from:
            cc = self.m.changed_circumstances
            assert cc is not None
            self.report(
                "payment_after_end",
                pay.date,
                cites_of(cc.no_new_payment),
                (trace,),
                party=pay.party,
                amount=str(pay.amount),
                amount_text=show(pay.amount),
                end=self.no_new_payment_from.isoformat(),
                reason_sv=f"partnerskapet sades upp {self.no_new_payment_from} på grund av väsentligt "
                "förändrade omständigheter, och då går ingen ny betalning ut",
                reason_en=f"the partnership was terminated on {self.no_new_payment_from} for substantially "
                "changed circumstances, after which no new payment goes out",
            )
        for inst in self._late_instalments(pay):
            assert inst.pay_by is not None
            self.report(
                "payment_late",
                pay.date,
                inst.cites,
                (trace,),
                party=pay.party,
                amount=str(pay.amount),
                amount_text=show(pay.amount),
                due=inst.due.isoformat(),
                pay_by=inst.pay_by.isoformat(),
                days_late=(pay.date - inst.pay_by).days,
                period=inst.covers.to_dict(),
            )

    def _late_instalments(self, pay: Payment) -> Iterable[Instalment]:
        """Instalments this payment is for, whose last day to pay had passed, and that no earlier
        payment settled in time."""
        for inst in self.instalments:
            if inst.pay_by is None or inst.amount is None or inst.party != pay.party:
                continue
            if pay.date <= inst.pay_by or not inst.covers.overlap(pay.covers):
                continue
            in_time = any(
                p.party == pay.party and p.date <= inst.pay_by and inst.covers.overlap(p.covers)
                for p in self.payments
            )
            if not in_time:
                yield inst

    def paid(self, party: str, until: dt.date | None = None) -> Decimal:
        return sum(
            (p.amount for p in self.payments if p.party == party and (until is None or p.date <= until)), ZERO
        )

    # -- endings and claims ------------------------------------------------------------------------
    def party_ended(self, party: str, day: dt.date, cause: EndCause) -> None:
        """The payee's part ends on `day`; the earliest ending counts, with its cause."""
        if party in self.m.payees and (party not in self.ends or day < self.ends[party][0]):
            self.ends[party] = (day, cause)

    def keep_compensation(self, since: dt.date, until: dt.date, trace: str) -> None:
        cc = self.m.changed_circumstances
        assert cc is not None
        self.no_new_payment_from = since
        for party in self.m.payees:
            self.report(
                "compensation_kept",
                since,
                cites_of(cc.keep_months, cc.no_new_payment),
                (trace,),
                effective=until,
                party=party,
                until=until.isoformat(),
            )

    def _apply_claims(self) -> None:
        """Each claim takes what is left of the payments it draws on, oldest first, so one
        payment is never claimed twice and nothing is claimed before it was paid."""
        left = [p.amount for p in self.payments]
        for claim in sorted(self.claims, key=lambda c: c.date):  # stable: same day keeps its order
            sources = (
                [claim.payment]
                if claim.payment is not None
                else [
                    i for i, p in enumerate(self.payments) if p.party == claim.party and p.date <= claim.date
                ]
            )
            room = sum((left[i] for i in sources), ZERO)
            taken = room if claim.wanted is None else min(claim.wanted, room)
            if taken <= 0:
                continue
            remaining = taken
            for i in sources:
                draw = min(left[i], remaining)
                left[i] -= draw
                remaining -= draw
            self.entries.append(("claimed", claim.date, claim.party, taken))
            method_sv, method_en = claim.method(room)
            self.report(
                "repayment_claim",
                claim.date,
                claim.cites,
                (claim.trace,),
                party=claim.party,
                amount=str(taken),
                amount_text=show(taken),
                basis=claim.basis,
                discretionary=claim.discretionary,
                period=claim.period.to_dict() if claim.period else None,
                capped_at_paid=claim.wanted is not None and taken < claim.wanted,
                method=method_sv,
                method_sv=method_sv,
                method_en=method_en,
                may_sv="kan krävas tillbaka" if claim.discretionary else "ska betalas tillbaka",
                may_en="may be claimed back" if claim.discretionary else "is to be repaid",
            )

    def settle(self) -> None:
        """At the end of the replay: money paid for time after a party's part ended, then every
        claim in date order."""
        rep = self.m.repayment
        cc = self.m.changed_circumstances
        for index, pay in enumerate(self.payments):
            end = self.ends.get(pay.party)
            if end is None:
                continue
            day, cause = end
            beyond = pay.covers.after(day)
            if beyond is None or cause == "rescission":
                continue  # a rescission claims back the whole sum, not days
            share = split_by_days(pay.amount, pay.covers, [beyond])[0]
            method = (
                f"{show(pay.amount)} för {pay.covers.days} dagar, varav {beyond.days} dagar efter {day}: "
                f"{show(share)} (efter kalenderdagar)",
                f"{pay.amount} for {pay.covers.days} days, of which {beyond.days} days after {day}: "
                f"{share} (by calendar days)",
            )
            by_notice = cause in ("notice", "expulsion", "changed_circumstances")
            if by_notice and rep.beyond_notice is not None:
                extra = cites_of(cc.keep_months) if cause == "changed_circumstances" and cc else ()
                self.claims.append(
                    Claim(
                        max(day, pay.date),
                        pay.party,
                        "beyond_notice",
                        bool(rep.beyond_notice.value),
                        cites_of(rep.beyond_notice) + extra,
                        "money.settle",
                        beyond,
                        share,
                        index,
                        _always(method),
                    )
                )
            elif pay.date <= day:  # a payment after the end is already reported as such
                self.report(
                    "unregulated",
                    max(day, pay.date),
                    (),
                    ("money.settle",),
                    party=pay.party,
                    text_sv=f"Betalningen {pay.date} ({show(pay.amount)}) avser också tid efter {day}, "
                    f"{show(share)} efter kalenderdagar; dokumenten reglerar inte återbetalning då.",
                    text_en=f"The payment of {pay.date} ({pay.amount}) also covers time after {day}, "
                    f"{share} by calendar days; the documents do not regulate repayment then.",
                    amount=str(share),
                    period=beyond.to_dict(),
                )
        self._apply_claims()

    def rescission(self, ev: Event, trace: str) -> None:
        rep = self.m.repayment
        against = ev.get("against")
        if rep.rescission_discretionary is None or against not in self.m.payees:
            return
        extent = rep.rescission_extent.value if rep.rescission_extent else "all"
        part_sv, part_en = (
            ("delar av eller hela", "part or all of") if extent == "part_or_all" else ("hela", "all of")
        )
        self.claims.append(
            Claim(
                ev.date,
                against,
                "rescission",
                bool(rep.rescission_discretionary.value),
                cites_of(rep.rescission_discretionary, rep.rescission_extent),
                trace,
                None,
                None,
                None,
                lambda room: (
                    f"{part_sv} summan som betalats ut till parten och inte redan krävts tillbaka, "
                    f"högst {show(room)}",
                    f"{part_en} the sum paid to the party and not already claimed, at most {room}",
                ),
            )
        )

    def misuse(self, ev: Event, trace: str) -> None:
        rule = self.m.repayment.misuse
        assert rule is not None
        party, amount = ev.get("party"), ev.get("amount")
        exceptions = {x.id: x for x in rule.exceptions}
        answers = {"due_care": ev.get("due_care"), "disproportionate": ev.get("disproportionate")}
        applied = [x for x in ("due_care", "disproportionate") if answers[x] is True and x in exceptions]
        if applied:
            which = applied[0]
            self.report(
                "no_repayment",
                ev.date,
                cites_of(rule.ground, exceptions[which].text),
                (trace,),
                party=party,
                amount=str(amount),
                amount_text=show(amount),
                exception=which,
                exception_sv=exceptions[which].text.value or which,
                exception_en=EXCEPTION_EN[which],
            )
            return
        unknown = [x for x in ("due_care", "disproportionate") if answers[x] is None and x in exceptions]
        if unknown:
            self.entries.append(("to_assess", ev.date, party, amount))
            self.report(
                "exceptions_to_assess",
                ev.date,
                cites_of(rule.ground, rule.discretionary, *(exceptions[x].text for x in unknown)),
                (trace,),
                party=party,
                amount=str(amount),
                amount_text=show(amount),
                unknown=unknown,
                unknown_sv=" och ".join(exceptions[x].text.value or x for x in unknown),
                unknown_en=" and ".join(EXCEPTION_EN[x] for x in unknown),
            )
            return
        self.claims.append(
            Claim(
                ev.date,
                party,
                "misuse",
                bool(rule.discretionary.value),
                cites_of(rule.ground, rule.discretionary, *(x.text for x in rule.exceptions)),
                trace,
                None,
                amount,
                None,
                lambda _room: (
                    "beloppet som berörs av den felaktiga medelsanvändningen",
                    "the amount affected by the misuse",
                ),
            )
        )

    # -- totals ------------------------------------------------------------------------------------
    def _total(self, kind: str, party: str, until: dt.date | None) -> Decimal:
        return sum(
            (a for k, d, p, a in self.entries if k == kind and p == party and (until is None or d <= until)),
            ZERO,
        )

    def summary(self, until: dt.date | None = None) -> tuple[PartyMoney, ...]:
        """Totals per party the agreement pays, as of `until` (default: the whole replay)."""
        return tuple(
            PartyMoney(
                party,
                self.paid(party, until),
                self._total("due", party, until),
                self._total("claimed", party, until),
                self._total("to_assess", party, until),
            )
            for party in self.m.payees
        )


EXCEPTION_EN = {
    "due_care": "the party shows that the care reasonably required was taken",
    "disproportionate": "a repayment claim would be disproportionate",
}
