"""Hävning (SOF 2025/144 5.8: "Möjlighet att häva partnerskapet föreligger om en part inte
fullföljer sina åtaganden"): the rescission takes effect the day it is declared, ends the whole
partnership or only the defaulting party's part (as the rule file reads the clause), and may
lead to a repayment claim.

Rules: `rescission`, a `rescinded` event. A rescission by or against a party that has already
left, or by a party against itself (5.8 lets a party rescind because *another* does not fulfil
its commitments), ends nothing. `rescission.ground_not_shown`: no breach by the party rescinded
against (a deficiency found or an action plan failed) is recorded earlier in the stream; the
rescission is computed with, since the breach may lie outside what was recorded, and the answer
says its ground is not shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import fact, ref
from iop_engine.clauses.repayment import Repayment
from iop_engine.events import Rescinded
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, cites_of
from iop_engine.phrases import joined, phrase
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
        # A breach recorded earlier in the stream, for the party rescinded against (stream
        # position, so a finding listed later on the same day does not count).
        breach = [
            fact(kind, ref("party", "h", "against"), ref("pos", "h", "pos", "$lt"))
            for kind in ("ev_deficiency_found", "ev_action_plan_failed")
        ]
        yield spec(
            Rule("rescission.ground_not_shown", (("h", fact("ev_rescinded")),), absent=tuple(breach)),
            cls.on_ground_not_shown,
            r.ground,
        )
        yield spec(
            Rule("rescission", (("h", fact("ev_rescinded")),)),
            cls.on_rescinded,
            r.ground,
            r.ends,
        )

    def _gone(self, ev: Rescinded) -> list[str]:
        """The parties of the rescission (against, by) that have left by its day."""
        return [p for p in (ev.against, ev.by) if not self.run.life.still_in(p, ev.date)]

    def _void(self, ev: Rescinded) -> bool:
        """Whether the rescission ends nothing: against the rescinding party itself, or by or
        against a party that has left."""
        return ev.by == ev.against or bool(self._gone(ev))

    def _ground(self) -> dict[str, Any]:
        """The rescission's ground as message fields: the rule file's words, or that the
        documents do not state it."""
        ground = _clause(self.a).ground.value
        key = "rescission.ground" if ground is not None else "rescission.ground_open"
        return {"ground": ground, **phrase("ground", key, ground=ground)}

    def on_ground_not_shown(self, act: Activation) -> None:
        ev = self.event(act, "h", Rescinded)
        if not self._void(ev):
            self.ruled("rescission_ground_not_shown", ev.date, act, party=ev.against, **self._ground())

    def on_rescinded(self, act: Activation) -> None:
        ev = self.event(act, "h", Rescinded)
        rule = _clause(self.a)
        life = self.run.life
        if ev.by == ev.against:
            # It rests on the ground alone (another party's breach), not on what a rescission ends.
            cites, trace = cites_of(rule.ground), (act.rule,)
            self.run.log.add(
                "rescission_without_effect", ev.date, cites, trace, party=ev.by, **self._ground()
            )
            return
        gone = self._gone(ev)
        if gone:
            # 5.8 lets a party rescind because another "inte fullföljer sina åtaganden": a party
            # that has left has no commitments in the partnership left to fail or to rescind.
            left = [f"{self.a.name_of(p)} ({life.party_until(p)})" for p in gone]
            self.run.log.add(
                "unregulated",
                ev.date,
                cites_of(rule.ground),
                (act.rule,),
                party=ev.against,
                **phrase(
                    "text",
                    "unregulated.rescission_after_leaving",
                    **joined("left", [(x, x) for x in left], "and"),
                ),
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
