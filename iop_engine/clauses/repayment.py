"""Repayment: money paid for time after a party's part ended by notice, money paid before a
rescission, and misused funds, each where the rule file has the clause.

Claims are collected during the replay and applied at its end in date order, each drawing on
what is left of specific payments (oldest first), so one payment is never claimed twice and
nothing is claimed before it was paid; a claim never exceeds what the party was paid.

Rule `money.misuse`: a misuse finding, with the clause's exceptions (`no_repayment` where one
applies, `exceptions_to_assess` where one is unknown, a claim otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import fact
from iop_engine.events import MisuseFound, Rescinded
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, Citation, Fact, cites_of
from iop_engine.money import ZERO, Span, split_by_days, texts
from iop_engine.phrases import joined, phrase, words
from iop_engine.vocabulary.governance import ChangedCircumstances
from iop_engine.vocabulary.money import Misuse, RepaymentException

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run
    from iop_engine.replay.money_book import Payment


@attrs.frozen
class Claim:
    """A claim the text allows. It draws on `payment` alone, or (None) on every payment to the
    party made by its date; `wanted` None asks for all that is left of them. `method` names the
    phrase saying how it was computed, with its fields (`room_text`: what was left to draw on).
    `discretionary` says whether the claim is a right rather than a duty; `open` names the values
    it computes with that the documents leave open (rule-file path, fact), reported with it."""

    date: dt.date
    party: str
    basis: str
    discretionary: Fact[bool]
    cites: tuple[Citation, ...]
    trace: str
    period: Span | None
    wanted: Decimal | None
    payment: int | None
    method: str
    method_fields: Mapping[str, Any] = attrs.field(factory=dict)
    open: tuple[tuple[str, Fact[Any]], ...] = ()

    @property
    def may(self) -> bool:
        """A claim is a right unless the documents make it a duty: where they leave it open the
        engine does not say that anything must be repaid."""
        return self.discretionary.value is not False


def _exception_words(exception: RepaymentException) -> str:
    """An exception in the document's words, or said to be unworded where they are left open."""
    text = exception.text.value
    return text if text is not None else words("repayment.exception_open", id=exception.id)[0]


def _left_open(*facts: tuple[str, Fact[Any] | None]) -> tuple[tuple[str, Fact[Any]], ...]:
    """Of the (rule-file path, fact) pairs, those the documents leave open."""
    return tuple((path, f) for path, f in facts if f is not None and not f.regulated)


class Repayment(Clause):
    outside_term_events = frozenset({"misuse_found"})

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.claims: list[Claim] = []
        self.rescinded: set[str] = set()  # parties a rescission was against

    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return bool(agreement.payments) or agreement.repayment is not None

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        misuse = agreement.repayment.misuse if agreement.repayment else None
        if misuse is not None:
            # Each of its findings cites the clauses it rests on: which exception applied, which
            # are still to assess.
            yield spec(Rule("money.misuse", (("u", fact("ev_misuse_found")),)), cls.on_misuse)

    def on_misuse(self, act: Activation) -> None:
        ev = self.event(act, "u", MisuseFound)
        rule = self.a.repayment.misuse if self.a.repayment else None
        assert rule is not None
        amount: dict[str, Any] = {"amount": str(ev.amount), **texts("amount", ev.amount)}
        applied = [x for x in rule.exceptions if ev.answer(x.id) is True]
        if applied:
            which = applied[0]  # the exceptions are tried in the order the rule file lists them
            self.run.log.add(
                "no_repayment",
                ev.date,
                cites_of(rule.ground, which.text),
                (act.rule,),
                party=ev.party,
                exception=which.id,
                exception_sv=_exception_words(which),
                exception_en=which.en,
                **amount,
            )
            return
        unknown = [x for x in rule.exceptions if ev.answer(x.id) is None]
        if unknown:
            self.run.book.add("to_assess", ev.date, ev.party, ev.amount)
            self.run.log.add(
                "exceptions_to_assess",
                ev.date,
                cites_of(rule.ground, rule.discretionary, *(x.text for x in unknown)),
                (act.rule,),
                party=ev.party,
                unknown=[x.id for x in unknown],
                **joined("unknown", [(_exception_words(x), x.en) for x in unknown], "and"),
                **amount,
            )
            return
        self._misuse_claim(ev, rule, act.rule)

    def _misuse_claim(self, ev: MisuseFound, rule: Misuse, trace: str) -> None:
        self.claims.append(
            Claim(
                ev.date,
                ev.party,
                "misuse",
                rule.discretionary,
                cites_of(rule.ground, rule.discretionary, *(x.text for x in rule.exceptions)),
                trace,
                None,
                ev.amount,
                None,
                "repayment_claim.misuse",
                open=_left_open(("repayment.misuse.discretionary", rule.discretionary)),
            )
        )

    def claim_rescission(self, ev: Rescinded, trace: str) -> None:
        """A rescission against a payee: part or all of what it was paid may be claimed."""
        self.rescinded.add(ev.against)
        rep = self.a.repayment.rescission if self.a.repayment else None
        if rep is None or ev.against not in self.a.payees:
            return
        # Without an extent the clause names the sum paid; one the documents leave open is
        # computed with as "part or all": an upper bound, which does not say that all is due.
        extent = "all" if rep.extent is None else rep.extent.value or "part_or_all"
        self.claims.append(
            Claim(
                ev.date,
                ev.against,
                "rescission",
                rep.discretionary,
                cites_of(rep.discretionary, rep.extent),
                trace,
                None,
                None,
                None,
                f"repayment_claim.rescission.{extent}",
                open=_left_open(
                    ("repayment.rescission.discretionary", rep.discretionary),
                    ("repayment.rescission.extent", rep.extent),
                ),
            )
        )

    # -- at the end ------------------------------------------------------------------------------
    def _claim_beyond_kept(self, cc: ChangedCircumstances, pay: Payment, end: dt.date) -> bool:
        """Whether money paid for time after a notice for changed circumstances took effect is
        claimed: not where the clause lets the actors keep it; otherwise yes, with the reading
        (the text may also mean that the activity goes on for the time paid, and nothing is
        repaid) reported unless the rule file cites the answer without one."""
        slot = cc.paid_beyond
        if slot is not None and slot.value == "kept":
            return False
        cites = cites_of(slot, cc.keep_months, readings=False)
        fields = {"end": end.isoformat(), "months": cc.keep_months.value}
        self.run.log.open_reading(
            max(end, pay.date),
            cites,
            ("money.settle",),
            slot,
            "ambiguity.paid_beyond_kept",
            fields,
            party=pay.party,
        )
        return True

    def finish(self) -> None:
        """Money paid for time after a party's part ended, then every claim in date order."""
        beyond_notice = self.a.repayment.beyond_notice if self.a.repayment else None
        cc = self.a.changed_circumstances
        for index, pay in enumerate(self.run.book.payments):
            end = self.run.life.ends.get(pay.party)
            if end is None:
                continue
            day, cause = end.day, end.cause
            beyond = pay.covers.after(day)
            if beyond is None or (cause == "rescission" and pay.party in self.rescinded):
                # The party rescinded against answers for the whole sum, not for days; a party
                # whose part ended only because the partnership did is settled by days below.
                continue
            share = split_by_days(pay.amount, pay.covers, [beyond])[0]
            fields = {
                **texts("amount", pay.amount),
                "days": pay.covers.days,
                "beyond_days": beyond.days,
                "end": day.isoformat(),
                **texts("share", share),
                "paid_on": pay.date.isoformat(),
            }
            by_notice = cause in ("notice", "expulsion", "changed_circumstances")
            if (
                cause == "changed_circumstances"
                and cc is not None
                and not self._claim_beyond_kept(cc, pay, day)
            ):
                continue
            if by_notice and beyond_notice is not None:
                extra = cites_of(cc.keep_months) if cause == "changed_circumstances" and cc else ()
                self.claims.append(
                    Claim(
                        max(day, pay.date),
                        pay.party,
                        "beyond_notice",
                        beyond_notice.discretionary,
                        cites_of(beyond_notice.discretionary) + extra,
                        "money.settle",
                        beyond,
                        share,
                        index,
                        "repayment_claim.beyond_notice",
                        fields,
                        _left_open(("repayment.beyond_notice.discretionary", beyond_notice.discretionary)),
                    )
                )
            elif pay.date <= day:  # a payment after the end is already reported as such
                self.run.log.add(
                    "unregulated",
                    max(day, pay.date),
                    (),
                    ("money.settle",),
                    party=pay.party,
                    amount=str(share),
                    period=beyond.to_dict(),
                    **phrase("text", "unregulated.paid_beyond_end", **fields),
                )
        self._apply_claims()

    def _apply_claims(self) -> None:
        payments = self.run.book.payments
        left = [p.amount for p in payments]
        for claim in sorted(self.claims, key=lambda c: c.date):  # stable: same day keeps its order
            sources = (
                [claim.payment]
                if claim.payment is not None
                else [i for i, p in enumerate(payments) if p.party == claim.party and p.date <= claim.date]
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
            self.run.book.add("claimed", claim.date, claim.party, taken)
            for path, open_fact in claim.open:
                self.run.log.unregulated(claim.date, open_fact, (claim.trace,), value=path, party=claim.party)
            method = phrase("method", claim.method, **claim.method_fields, **texts("room", room))
            may = phrase("may", "repayment_claim.may" if claim.may else "repayment_claim.must")
            amount: dict[str, Any] = {"amount": str(taken), **texts("amount", taken)}
            capped = claim.wanted is not None and taken < claim.wanted
            if capped:
                assert claim.wanted is not None
                amount |= texts("wanted", claim.wanted)
            self.run.log.add(
                "repayment_claim",
                claim.date,
                claim.cites,
                (claim.trace,),
                party=claim.party,
                **amount,
                basis=claim.basis,
                discretionary=claim.may,
                period=claim.period.to_dict() if claim.period else None,
                capped_at_paid=capped,
                template="repayment_claim.capped" if capped else None,
                method=method["method_sv"],
                **method,
                **may,
            )
