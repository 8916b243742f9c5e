"""From deficiency to expulsion (SOF 2025/144 5.5): a dialogue in the body the clause names, an
action plan it may ask for, and expulsion by it only after the plan has failed.

Rules: `deficiency.found` (dialogue), `deficiency.plan_requested` (by the right body, or
`…_without_mandate`), `deficiency.plan_failed` (expulsion now possible),
`expulsion.after_failed_plan` (a join with a failed plan earlier in the stream, for the same
party), its `absent` twin `expulsion.without_failed_plan`, and `expulsion.without_mandate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from iop_engine.authority import definite
from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.continuation import need
from iop_engine.clauses.patterns import eq, fact, ref
from iop_engine.dates import add_months
from iop_engine.events import ActionPlanFailed, ActionPlanRequested, DeficiencyFound, PartyExpelled
from iop_engine.inference import Activation, Rule
from iop_engine.messages import phrase
from iop_engine.model import Agreement, Fact
from iop_engine.vocabulary.governance import Deficiency as DeficiencyRule

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run


def _clause(agreement: Agreement) -> DeficiencyRule:
    assert agreement.deficiency is not None
    return agreement.deficiency


class Deficiency(Clause):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.expelled: set[str] = set()

    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return agreement.deficiency is not None

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        d = _clause(agreement)
        plan_by, expel_by = d.plan_by.value, d.expel_by.value
        yield spec(
            Rule("deficiency.found", (("b", fact("ev_deficiency_found")),)), cls.on_found, d.dialogue_in
        )
        requested = "ev_action_plan_requested"
        yield spec(
            Rule("deficiency.plan_requested", (("r", fact(requested, eq("by", plan_by))),)),
            cls.on_plan_requested,
            d.plan_by,
        )
        yield spec(
            Rule(
                "deficiency.plan_requested_without_mandate",
                (("r", fact(requested, {"$neq": {"by": plan_by}})),),
            ),
            cls.on_plan_without_mandate,
            d.plan_by,
        )
        yield spec(
            Rule("deficiency.plan_failed", (("f", fact("ev_action_plan_failed")),)),
            cls.on_plan_failed,
            d.expel_by,
        )
        expelled = "ev_party_expelled"
        # A plan that failed earlier in the stream, for the same party: stream position, not the
        # day, so a failure listed later on the same day does not count.
        failed_before = fact(
            "ev_action_plan_failed", ref("party", "x", "party"), ref("pos", "x", "pos", "$lt")
        )
        yield spec(
            Rule(
                "expulsion.after_failed_plan",
                (("x", fact(expelled, eq("by", expel_by))), ("f", failed_before)),
            ),
            cls.on_expelled,
            d.expel_by,
            d.expulsion_notice_months,
        )
        yield spec(
            Rule(
                "expulsion.without_failed_plan",
                (("x", fact(expelled, eq("by", expel_by))),),
                absent=(failed_before,),
            ),
            cls.on_expulsion_unfounded,
            d.plan_by,
            d.expel_by,
        )
        yield spec(
            Rule("expulsion.without_mandate", (("x", fact(expelled, {"$neq": {"by": expel_by}})),)),
            cls.on_expulsion_without_mandate,
            d.expel_by,
        )

    def _body(self, body: str | None) -> str:
        return definite(self.a, body or "")

    def on_found(self, act: Activation) -> None:
        ev = self.event(act, "b", DeficiencyFound)
        self.ruled(
            "deficiency_dialogue",
            ev.date,
            act,
            party=ev.party,
            body=self._body(need(_clause(self.a).dialogue_in)),
        )

    def on_plan_failed(self, act: Activation) -> None:
        ev = self.event(act, "f", ActionPlanFailed)
        self.ruled(
            "expulsion_possible",
            ev.date,
            act,
            party=ev.party,
            body=self._body(need(_clause(self.a).expel_by)),
        )

    def on_plan_requested(self, act: Activation) -> None:
        ev = self.event(act, "r", ActionPlanRequested)
        self.ruled("action_plan_requested", ev.date, act, party=ev.party, body=self._body(ev.by))

    def on_expulsion_unfounded(self, act: Activation) -> None:
        ev = self.event(act, "x", PartyExpelled)
        self.ruled("expulsion_unfounded", ev.date, act, party=ev.party, body=self._body(ev.by))

    def on_plan_without_mandate(self, act: Activation) -> None:
        ev = self.event(act, "r", ActionPlanRequested)
        self._without_mandate(
            act, ev.date, ev.party, ev.by, _clause(self.a).plan_by, "action_without_mandate.plan"
        )

    def on_expulsion_without_mandate(self, act: Activation) -> None:
        ev = self.event(act, "x", PartyExpelled)
        self._without_mandate(
            act, ev.date, ev.party, ev.by, _clause(self.a).expel_by, "action_without_mandate.expel"
        )

    def _without_mandate(
        self, act: Activation, date: dt.date, party: str, by: str, mandated: Fact[str], action: str
    ) -> None:
        self.ruled(
            "action_without_mandate",
            date,
            act,
            party=party,
            body=self._body(by),
            mandated=self._body(need(mandated)),
            **phrase("action", action),
        )

    def on_expelled(self, act: Activation) -> None:
        ev = self.event(act, "x", PartyExpelled)
        life = self.run.life
        if ev.party in self.expelled or not life.still_in(ev.party, ev.date):
            return
        self.expelled.add(ev.party)
        months = _clause(self.a).expulsion_notice_months
        effective = add_months(ev.date, need(months))
        effective = min(effective, self.a.cap) if self.a.cap else effective
        if months.reading is not None:
            self.run.log.reading(ev.date, (), (act.rule,), months.reading, "", party=ev.party)
        life.party_ends(ev.party, effective, "expulsion")
        self.ruled(
            "party_expelled", ev.date, act, effective=effective, party=ev.party, body=self._body(ev.by)
        )
