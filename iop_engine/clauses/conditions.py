"""Conditions of the term: "förutsatt att medel för partnerskapet finns".

A funding decision for a year (`funding_decided`) that funds are not available fails the
condition for that year: the agreement does not continue into a period starting in it (the
continuation clauses join the `no_funds` marker with their period ends) and payments for the year
are withheld. Where the term is not conditional on funds, the decision changes nothing, and the
answer says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import eq, fact
from iop_engine.events import FundingDecided
from iop_engine.inference import Activation, Rule
from iop_engine.messages import phrase
from iop_engine.model import Agreement, Fact
from iop_engine.vocabulary.term import Condition

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run


def funding_facts(agreement: Agreement) -> tuple[Fact[str], ...]:
    """The texts of the conditions that funds exist."""
    return tuple(c.text for c in agreement.conditions if c.kind == "funding")


class Conditions(Clause):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.unfunded_years: set[int] = set()

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        decided = "ev_funding_decided"
        unavailable = ("f", fact(decided, eq("available", 0)))
        funding = funding_facts(agreement)
        if funding:
            yield spec(Rule("funding.unavailable", (unavailable,)), cls.on_unavailable, *funding)
            available = ("f", fact(decided, eq("available", 1)))
            yield spec(Rule("funding.available", (available,)), cls.on_available, *funding)
        else:
            yield spec(Rule("funding.not_a_condition", (unavailable,)), cls.on_not_a_condition)

    def on_unavailable(self, act: Activation) -> None:
        ev = self.event(act, "f", FundingDecided)
        self.ruled("condition_failed", ev.date, act, year=ev.year)
        self.unfunded_years.add(ev.year)
        self.run.assert_fact({"t": "no_funds", "year": ev.year, "day": ev.date.toordinal()})
        if_unmet = self._funding().if_unmet
        reading = if_unmet.reading if if_unmet else None
        self.run.log.reading(ev.date, self.run.cites(act.rule), (act.rule,), reading, "ambiguity.funds_unmet")

    def on_available(self, act: Activation) -> None:
        ev = self.event(act, "f", FundingDecided)
        if ev.year not in self.unfunded_years:
            return
        redecided = self._funding().redecided
        reading = redecided.reading if redecided else None
        fallback = "ambiguity.funds_redecided"
        cites = self.run.cites(act.rule)
        self.run.log.reading(ev.date, cites, (act.rule,), reading, fallback, {"year": ev.year}, year=ev.year)

    def _funding(self) -> Condition:
        return next(c for c in self.a.conditions if c.kind == "funding")

    def on_not_a_condition(self, act: Activation) -> None:
        ev = self.event(act, "f", FundingDecided)
        self.run.log.add(
            "unregulated", ev.date, (), (act.rule,), **phrase("text", "unregulated.not_conditional")
        )
