"""From deficiency to expulsion (SOF 2025/144 5.5): a dialogue in the body the clause names, an
action plan it may ask for, and expulsion by it only after the plan has failed.

Rules: `deficiency.found` (dialogue), `deficiency.plan_requested` (by the right body, or
`…_without_mandate`), `deficiency.plan_failed` (expulsion now possible),
`expulsion.after_failed_plan` (a join with a failed plan earlier in the stream, for the same
party), its `absent` twin `expulsion.without_failed_plan`, `expulsion.without_mandate`, and
`expulsion.takes_effect` when the expulsion's notice period has run; a plan asked for by a body
without the mandate is `deficiency.plan_requested_without_mandate`.
Where the rule file does not say which body may ask for a plan or expel, such decisions are
reported unregulated (`deficiency.plan_requested_mandate_unknown`,
`expulsion.mandate_unknown`) and have no effect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from iop_engine.authority import body_fields
from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import eq, fact, ref, timer
from iop_engine.dates import add_months
from iop_engine.events import ActionPlanFailed, ActionPlanRequested, DeficiencyFound, PartyExpelled
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, Fact, cites_of
from iop_engine.phrases import phrase, words
from iop_engine.replay.facts import day_of
from iop_engine.vocabulary.governance import Deficiency as DeficiencyRule

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run

REQUESTED, EXPELLED, FAILED = "ev_action_plan_requested", "ev_party_expelled", "ev_action_plan_failed"


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
        # The dialogue's finding also says who may ask for a plan: it rests on that sentence too.
        yield spec(
            Rule("deficiency.found", (("b", fact("ev_deficiency_found")),)),
            cls.on_found,
            d.dialogue_in,
            d.plan_by,
        )
        plan_by = d.plan_by.value
        if plan_by is None:
            # No clauses on the rule: its finding cites the open value itself (`unregulated`).
            yield spec(
                Rule("deficiency.plan_requested_mandate_unknown", (("r", fact(REQUESTED)),)),
                cls.on_plan_mandate_unknown,
            )
        else:
            yield spec(
                Rule("deficiency.plan_requested", (("r", fact(REQUESTED, eq("by", plan_by))),)),
                cls.on_plan_requested,
                d.plan_by,
            )
            yield spec(
                Rule(
                    "deficiency.plan_requested_without_mandate",
                    (("r", fact(REQUESTED, {"$neq": {"by": plan_by}})),),
                ),
                cls.on_plan_without_mandate,
                d.plan_by,
            )
        yield spec(Rule("deficiency.plan_failed", (("f", fact(FAILED)),)), cls.on_plan_failed, d.expel_by)
        yield from cls._expulsion(d)

    @classmethod
    def _expulsion(cls, d: DeficiencyRule) -> Iterable[RuleSpec]:
        expel_by = d.expel_by.value
        if expel_by is None:
            yield spec(
                Rule("expulsion.mandate_unknown", (("x", fact(EXPELLED)),)), cls.on_expel_mandate_unknown
            )
            return
        # A plan that failed earlier in the stream, for the same party: stream position, not the
        # day, so a failure listed later on the same day does not count.
        failed_before = fact(FAILED, ref("party", "x", "party"), ref("pos", "x", "pos", "$lt"))
        yield spec(
            Rule(
                "expulsion.after_failed_plan",
                (("x", fact(EXPELLED, eq("by", expel_by))), ("f", failed_before)),
            ),
            cls.on_expelled,
            d.expel_by,
            d.expulsion_notice_months,
        )
        yield spec(
            Rule(
                "expulsion.without_failed_plan",
                (("x", fact(EXPELLED, eq("by", expel_by))),),
                absent=(failed_before,),
            ),
            cls.on_expulsion_unfounded,
            d.plan_by,
            d.expel_by,
        )
        yield spec(
            Rule("expulsion.without_mandate", (("x", fact(EXPELLED, {"$neq": {"by": expel_by}})),)),
            cls.on_expulsion_without_mandate,
            d.expel_by,
        )
        yield spec(
            Rule("expulsion.takes_effect", (("tm", timer("expulsion_effective")),)),
            cls.on_takes_effect,
            d.expel_by,
            d.expulsion_notice_months,
        )

    def _body(self, body: str | None, key: str = "body") -> dict[str, str]:
        return body_fields(self.a, body, key)

    def _expel(self) -> tuple[str, str]:
        """The expulsion in the agreement's words, or the engine's."""
        own = _clause(self.a).expulsion
        return (own.sv, own.english) if own is not None else words("expulsion.default")

    def _expel_fields(self) -> dict[str, str]:
        sv, en = self._expel()
        return {"expel_sv": sv, "expel_en": en}

    def on_found(self, act: Activation) -> None:
        ev = self.event(act, "b", DeficiencyFound)
        clause = _clause(self.a)
        body = self._body(clause.dialogue_in.value)
        plan_by = clause.plan_by.value
        if plan_by is None:
            template = "deficiency_dialogue.plan_by_open"
        elif plan_by != clause.dialogue_in.value:
            template = "deficiency_dialogue.plan_by_other"
            body |= self._body(plan_by, "plan_by")
        else:
            template = None
        self.ruled("deficiency_dialogue", ev.date, act, party=ev.party, template=template, **body)

    def on_plan_failed(self, act: Activation) -> None:
        ev = self.event(act, "f", ActionPlanFailed)
        body = self._body(_clause(self.a).expel_by.value)
        self.ruled("expulsion_possible", ev.date, act, party=ev.party, **body, **self._expel_fields())

    def on_plan_requested(self, act: Activation) -> None:
        ev = self.event(act, "r", ActionPlanRequested)
        self.ruled("action_plan_requested", ev.date, act, party=ev.party, **self._body(ev.by))

    def on_expulsion_unfounded(self, act: Activation) -> None:
        ev = self.event(act, "x", PartyExpelled)
        body = self._body(ev.by)
        self.ruled("expulsion_unfounded", ev.date, act, party=ev.party, **body, **self._expel_fields())

    def on_plan_without_mandate(self, act: Activation) -> None:
        ev = self.event(act, "r", ActionPlanRequested)
        plan = words("action_without_mandate.plan")
        self._without_mandate(act, ev.date, ev.party, ev.by, _clause(self.a).plan_by, plan)

    def on_expulsion_without_mandate(self, act: Activation) -> None:
        ev = self.event(act, "x", PartyExpelled)
        mandated = _clause(self.a).expel_by
        self._without_mandate(act, ev.date, ev.party, ev.by, mandated, self._expel())

    def _without_mandate(
        self,
        act: Activation,
        date: dt.date,
        party: str,
        by: str,
        mandated: Fact[str],
        action: tuple[str, str],
    ) -> None:
        self.ruled(
            "action_without_mandate",
            date,
            act,
            party=party,
            **self._body(by),
            **self._body(mandated.value, "mandated"),
            action_sv=action[0],
            action_en=action[1],
        )

    def on_plan_mandate_unknown(self, act: Activation) -> None:
        ev = self.event(act, "r", ActionPlanRequested)
        self.run.log.unregulated(ev.date, _clause(self.a).plan_by, (act.rule,), party=ev.party)

    def on_expel_mandate_unknown(self, act: Activation) -> None:
        ev = self.event(act, "x", PartyExpelled)
        self.run.log.unregulated(ev.date, _clause(self.a).expel_by, (act.rule,), party=ev.party)

    def on_expelled(self, act: Activation) -> None:
        ev = self.event(act, "x", PartyExpelled)
        life = self.run.life
        if ev.party in self.expelled or not life.still_in(ev.party, ev.date):
            # Said, not passed over: 5.5 lets the body expel an actor in the partnership.
            named = {"party": self.a.name_of(ev.party), **self._expel_fields()}
            if ev.party in self.expelled:
                text = phrase("text", "unregulated.expulsion_repeated", **named)
            else:
                until = life.party_until(ev.party)  # known: the party is no longer in
                text = phrase("text", "unregulated.expulsion_after_leaving", until=str(until), **named)
            cites = cites_of(_clause(self.a).expel_by)
            self.run.log.add("unregulated", ev.date, cites, (act.rule,), party=ev.party, **text)
            return
        self.expelled.add(ev.party)
        terms = self.a.on(ev.date)  # the expulsion runs on the terms of the day it was decided
        months = _clause(terms).expulsion_notice_months
        if months.value is None:
            # When the expulsion takes effect is not known: the party's end cannot be dated.
            self.run.log.unregulated(ev.date, months, (act.rule,), party=ev.party)
            return
        full = add_months(ev.date, months.value)
        effective = min(full, terms.cap) if terms.cap else full
        self.cut_by_cap_of_its_day(act, ev.date, terms.cap, full, ev.party, "ambiguity.cap_at_expulsion")
        if months.reading is not None:
            self.run.log.reading(ev.date, (), (act.rule,), months.reading, "", party=ev.party)
        self.run.party_ends(ev.party, effective, "expulsion")
        fields: dict[str, Any] = {"effective": effective, "party": ev.party, **self._body(ev.by)}
        self.ruled("party_expelled", ev.date, act, **fields, **self._expel_fields())
        ref = [p.id for p in self.a.parties].index(ev.party)
        self.run.clock.schedule(effective, "expulsion_effective", ref=ref)

    def on_takes_effect(self, act: Activation) -> None:
        """The day an expulsion takes effect, the party leaves, said with its cause (unless the
        agreement ended before)."""
        day, party = day_of(act, "tm"), self.a.parties[int(act.facts["tm"]["ref"])].id
        end = self.run.life.ends.get(party)
        if end is None or end.day != day or end.cause != "expulsion":
            return
        self.ruled(
            "party_withdrawn",
            day,
            act,
            effective=day,
            party=party,
            cause="expulsion",
            template="party_withdrawn.expulsion",
        )
