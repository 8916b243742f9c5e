"""An agreement that runs until terminated ("tills vidare") after its first, fixed period: when
that period ends, an open period begins, which only a notice (the notice clause) or a condition
ends. An agreement that runs until terminated from its start has one open period and needs no
rule here.

Rules: at the first period's end, `indefinite.period_end.continues` begins the open period, unless
the funds for its first year were refused (`indefinite.period_end.unfunded`) or a condition was
decided unmet (`indefinite.period_end.condition_unmet`). The open period has no end to join a
later failed condition with: the conditions clause ends it (`Conditions.open_period_begins`).
"""

from __future__ import annotations

from collections.abc import Iterable

from iop_engine.clauses.base import RuleSpec, spec
from iop_engine.clauses.conditions import Conditions, funding_facts
from iop_engine.clauses.continuation import Continuation, blocked_end, unmet_condition
from iop_engine.clauses.patterns import eq, fact, marker, ref, timer
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement
from iop_engine.vocabulary.term import Indefinite as IndefiniteRule


class Indefinite(Continuation):
    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        end = agreement.term.end
        return (
            isinstance(agreement.continuation, IndefiniteRule) and end is not None and end.value is not None
        )

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        tm = ("tm", timer("period_end"))
        first = ("p", fact("period", ref("n", "tm", "n"), eq("last", 0)))
        no_funds = marker("no_funds", ref("year", "p", "next_year"))
        yield spec(
            Rule("indefinite.period_end.unfunded", (tm, first, ("f", no_funds))),
            cls.on_unfunded,
            *funding_facts(agreement),
        )
        yield from blocked_end(cls, agreement, "indefinite", tm, first)
        yield spec(
            Rule("indefinite.period_end.continues", (tm, first), absent=(no_funds, unmet_condition())),
            cls.on_continues,
            agreement.term.end,
            agreement.termination.period_months,
        )

    def on_continues(self, act: Activation) -> None:
        self.run.next_period(act, "indefinite")
        conditions = self.run.clause(Conditions)
        periods = self.run.life.periods
        if conditions is not None and periods and periods[-1].kind == "indefinite":
            conditions.open_period_begins(periods[-1].start, act.rule)
