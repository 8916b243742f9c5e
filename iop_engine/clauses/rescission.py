"""Hävning (SOF 2025/144 5.8: "Möjlighet att häva partnerskapet föreligger om en part inte
fullföljer sina åtaganden"): the rescission takes effect the day it is declared, ends the whole
partnership or only the defaulting party's part (as the rule file reads the clause), and may
lead to a repayment claim.

Rule `rescission`: a `rescinded` event. A rescission by or against a party that has already
left ends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import fact
from iop_engine.clauses.repayment import Repayment
from iop_engine.events import Rescinded
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, cites_of
from iop_engine.phrases import phrase
from iop_engine.vocabulary.governance import Rescission as RescissionRule


def _clause(agreement: Agreement) -> RescissionRule:
    assert agreement.rescission is not None
    return agreement.rescission


class Rescission(Clause):
    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return agreement.rescission is not None

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        r = _clause(agreement)
        yield spec(
            Rule("rescission", (("h", fact("ev_rescinded")),)),
            cls.on_rescinded,
            r.ground,
            r.ends,
            agreement.repayment.rescission.discretionary
            if agreement.repayment and agreement.repayment.rescission
            else None,
        )

    def on_rescinded(self, act: Activation) -> None:
        ev = self.event(act, "h", Rescinded)
        rule = _clause(self.a)
        life = self.run.life
        gone = [p for p in (ev.against, ev.by) if not life.still_in(p, ev.date)]
        if gone:
            # 5.8 lets a party rescind because another "inte fullföljer sina åtaganden": a party
            # that has left has no commitments in the partnership left to fail or to rescind.
            left = ", ".join(f"{self.a.name_of(p)} ({life.party_until(p)})" for p in gone)
            self.run.log.add(
                "unregulated",
                ev.date,
                cites_of(rule.ground),
                (act.rule,),
                party=ev.against,
                **phrase("text", "unregulated.rescission_after_leaving", left=left),
            )
            return
        ends = rule.ends
        if ends.reading is not None:
            self.run.log.reading(ev.date, (), (act.rule,), ends.reading, "", party=ev.against)
        self.run.party_ends(ev.against, ev.date, "rescission")
        repayment = self.run.clause(Repayment)
        if repayment is not None:
            repayment.claim_rescission(ev, act.rule)
        if ends.value == "agreement":
            reason = phrase(
                "reason",
                "terminated.rescission",
                by=self.a.name_of(ev.by),
                against=self.a.name_of(ev.against),
            )
            self.run.end_agreement("terminated", ev.date, act, **reason)
            return
        if ends.value is None:
            # The defaulting party's part ends on every reading; whether the rest does is open.
            self.run.undetermined(ev.date, ends, (act.rule,), "rescission.ends")
        self.ruled(
            "party_withdrawn",
            ev.date,
            act,
            effective=ev.date,
            party=ev.against,
            cause="rescission",
            template="party_withdrawn.rescission",
        )
