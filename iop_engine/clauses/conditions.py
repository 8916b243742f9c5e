"""Conditions of the term: "förutsatt att medel för partnerskapet finns", "att förutsättningarna
för ett partnerskap i övrigt kvarstår".

A condition is decided by an event: funding per budget year (`funding_decided`), any other
declared condition by `condition_decided`. A condition decided unmet either stops the agreement
from continuing into a new period (`no_new_period`, the default: the continuation clauses join
the `no_funds` or `condition_unmet` marker with their period ends; payments for an unfunded year
are withheld) or ends it (`ends`: an unfunded year ends it on the last day before that year, or
on the day of the decision if the year has begun; another condition ends it on the day of the
decision). Where the rule file declares no reading for what the text leaves open, the engine says
so in its own words. Where the term is not conditional on funds, a funding decision changes
nothing, and the answer says so.

Rules: `funding.unavailable`, `funding.available`, `funding.not_a_condition` (a funding decision
where the term has no such condition), `condition.unmet`, `condition.met`, and `condition.ends`
(the day an unmet condition ends the agreement).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import eq, fact, timer
from iop_engine.events import ConditionDecided, FundingDecided
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, Citation, Fact, cites_of
from iop_engine.phrases import phrase
from iop_engine.replay.facts import day_of
from iop_engine.vocabulary.term import Condition

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run


def funding_facts(agreement: Agreement) -> tuple[Fact[str], ...]:
    """The texts of the conditions that funds exist."""
    return tuple(c.text for c in agreement.conditions if c.kind == "funding")


def other_facts(agreement: Agreement) -> tuple[Fact[str], ...]:
    """The texts of the conditions decided by `condition_decided`."""
    return tuple(c.text for c in agreement.conditions if c.kind == "other")


def _ends(condition: Condition) -> bool:
    return condition.if_unmet is not None and condition.if_unmet.value == "ends"


class Conditions(Clause):
    before_term_events = frozenset({"funding_decided", "condition_decided"})

    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.unfunded_years: set[int] = set()
        self.unmet: set[str] = set()

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
            yield spec(Rule("funding.not_a_condition", (("f", fact(decided)),)), cls.on_not_a_condition)
        others = other_facts(agreement)
        if others:
            unmet = ("c", fact("ev_condition_decided", eq("met", 0)))
            yield spec(Rule("condition.unmet", (unmet,)), cls.on_condition_unmet, *others)
            met = ("c", fact("ev_condition_decided", eq("met", 1)))
            yield spec(Rule("condition.met", (met,)), cls.on_condition_met, *others)
        if agreement.conditions:  # fires only where a handler above schedules the end
            yield spec(Rule("condition.ends", (("tm", timer("condition_end")),)), cls.on_ends)

    # -- funding ---------------------------------------------------------------------------------
    def _funding(self) -> Condition:
        return next(c for c in self.a.conditions if c.kind == "funding")

    def on_unavailable(self, act: Activation) -> None:
        ev = self.event(act, "f", FundingDecided)
        running = self._running_into(ev.year)
        if running is None:
            self.ruled("condition_failed", ev.date, act, year=ev.year)
        else:
            # No funds for the year a period runs in: it must not renew silently into the next
            # year without pay either, so the year after it is barred too.
            template = "condition_failed.running"
            self.ruled("condition_failed", ev.date, act, year=ev.year, next_year=running, template=template)
            self._no_funds(running, ev.year, ev.date)
        self.unfunded_years.add(ev.year)
        self._no_funds(ev.year, ev.year, ev.date)
        condition = self._funding()
        if not _ends(condition) and self._open_period_into(ev.year):
            self._end_open_period_before(ev.year, ev.date, act.rule)
            return
        if _ends(condition):
            due = max(ev.date, dt.date(ev.year, 1, 1) - dt.timedelta(days=1))
            last = self._not_before_start(due)
            self.run.clock.schedule(last, "condition_end", ref=self.a.conditions.index(condition))
            before_start = due < last
        else:  # the first period runs, unpaid for the year, where the refusal comes before it
            before_start = ev.date < self.a.term_start and running is not None
        slot = condition.if_unmet
        fallback = "ambiguity.funds_ends" if _ends(condition) else "ambiguity.funds_unmet"
        if before_start:
            fallback += "_before_start"
        fields = {"condition": condition.text.value or condition.id, "year": ev.year}
        self.run.log.open_reading(ev.date, self.run.cites(act.rule), (act.rule,), slot, fallback, fields)

    def _not_before_start(self, day: dt.date) -> dt.date:
        """An end due before the term begins falls on its first day: a partnership cannot end
        before it begins (whether it begins at all the text leaves open; the findings say so)."""
        return max(day, self.a.term_start)

    def _no_funds(self, year: int, refused: int, day: dt.date) -> None:
        """The marker the continuation clauses join with a period end: no period may begin in
        `year`, because funds for `refused` were refused on `day`."""
        self.run.assert_fact({"t": "no_funds", "year": year, "refused": refused, "day": day.toordinal()})

    def open_period_begins(self, start: dt.date, trace: str) -> None:
        """An open period ("tills vidare") begins on `start`: funds already refused for a later
        year end it the day before that year, as a decision during it would."""
        later = sorted(y for y in self.unfunded_years if y > start.year)
        if later and not _ends(self._funding()):  # with `ends` it was scheduled at the refusal
            self._end_open_period_before(later[0], start, trace)

    def _end_open_period_before(self, year: int, said: dt.date, trace: str) -> None:
        """The open period ends the day before the unfunded `year`, or on `said` where that year
        has begun (the text leaves how open: the engine's reading, said on `said`)."""
        condition = self._funding()
        begun = said >= dt.date(year, 1, 1)
        due = said if begun else dt.date(year, 1, 1) - dt.timedelta(days=1)
        last = self._not_before_start(due)
        self.run.clock.schedule(last, "condition_end", ref=self.a.conditions.index(condition))
        fields = {"condition": condition.text.value or condition.id, "year": year, "last": last.isoformat()}
        cites = cites_of(*funding_facts(self.a))
        fallback = "ambiguity.funds_unmet_open_period"
        fallback += "_before_start" if due < last else "_begun" if begun else ""
        self._open_period_reading(said, cites, (trace,), condition, fallback, fields)

    def _open_period_reading(
        self,
        said: dt.date,
        cites: tuple[Citation, ...],
        trace: tuple[str, ...],
        condition: Condition,
        fallback: str,
        fields: dict[str, Any],
    ) -> None:
        """Said even where the rule file cites what an unmet condition does: "no new period" does
        not say how a period without an end stops, so ending it is always a reading (the rule
        file's, where it declares one)."""
        slot = condition.if_unmet
        reading = slot.reading if slot is not None else None
        self.run.log.reading(said, cites, trace, reading, fallback, fields, condition=condition.id)

    def _open_period_into(self, year: int) -> bool:
        """Whether the running period has no end and began in `year` or before: no period of it
        runs out before that year ends, so "no new period" would let it run on without funds."""
        periods = self.run.life.periods
        return bool(periods) and periods[-1].end is None and periods[-1].start.year <= year

    def _running_into(self, year: int) -> int | None:
        """The year after the period that runs in the unfunded `year` (or the first period, before
        the start), if the next period would begin in a later year; None otherwise."""
        periods = self.run.life.periods
        if not periods:
            return None
        current = periods[-1]
        if current.end is None or not current.start.year <= year <= current.end.year:
            return None
        after = (current.end + dt.timedelta(days=1)).year
        return after if after > year else None

    def on_available(self, act: Activation) -> None:
        ev = self.event(act, "f", FundingDecided)
        if ev.year not in self.unfunded_years:
            self.ruled("condition_met", ev.date, act, year=ev.year)
            return
        funding = self._funding()
        fallback = "ambiguity.funds_redecided"
        cites = self.run.cites(act.rule)
        fields = {"year": ev.year, "condition": funding.text.value or funding.id}
        self.run.log.open_reading(
            ev.date, cites, (act.rule,), funding.redecided, fallback, fields, year=ev.year
        )

    def on_not_a_condition(self, act: Activation) -> None:
        ev = self.event(act, "f", FundingDecided)
        self.run.log.add(
            "unregulated", ev.date, (), (act.rule,), **phrase("text", "unregulated.not_conditional")
        )

    # -- other conditions ------------------------------------------------------------------------
    def _condition(self, ev: ConditionDecided) -> Condition:
        return next(c for c in self.a.conditions if c.id == ev.condition)

    def on_condition_unmet(self, act: Activation) -> None:
        ev = self.event(act, "c", ConditionDecided)
        condition = self._condition(ev)
        if condition.id in self.unmet:
            return
        self.unmet.add(condition.id)
        text = condition.text.value or condition.id
        self.ruled(
            "condition_failed",
            ev.date,
            act,
            condition=condition.id,
            template="condition_failed.other",
            text=text,
        )
        self.run.assert_fact({"t": "condition_unmet", "condition": condition.id, "day": ev.date.toordinal()})
        open_ended = not _ends(condition) and self._open_period_into(ev.date.year)
        if _ends(condition) or open_ended:
            last = self._not_before_start(ev.date)
            self.run.clock.schedule(last, "condition_end", ref=self.a.conditions.index(condition))
        cites, fields = self.run.cites(act.rule), {"condition": text}
        when = "_before_start" if ev.date < self.a.term_start else ""
        if open_ended:
            fallback = "ambiguity.condition_unmet_open_period" + when
            self._open_period_reading(ev.date, cites, (act.rule,), condition, fallback, fields)
            return
        fallback = "ambiguity.condition_ends" if _ends(condition) else "ambiguity.condition_unmet"
        fallback += when
        slot = condition.if_unmet
        self.run.log.open_reading(ev.date, cites, (act.rule,), slot, fallback, fields, condition=condition.id)

    def on_condition_met(self, act: Activation) -> None:
        ev = self.event(act, "c", ConditionDecided)
        condition = self._condition(ev)
        if condition.id not in self.unmet:
            text = condition.text.value or condition.id
            self.ruled(
                "condition_met",
                ev.date,
                act,
                condition=condition.id,
                template="condition_met.other",
                text=text,
            )
            return
        cites = self.run.cites(act.rule)
        fields = {"condition": condition.text.value or condition.id, "year": ev.date.year}
        fallback = "ambiguity.condition_redecided"
        self.run.log.open_reading(ev.date, cites, (act.rule,), condition.redecided, fallback, fields)

    def on_ends(self, act: Activation) -> None:
        condition = self.a.conditions[int(act.facts["tm"]["ref"])]
        reason = phrase("reason", "expired.condition", condition=condition.text.value or condition.id)
        cites = cites_of(condition.text, condition.if_unmet)  # the condition that failed, not the others
        self.run.end_agreement("expired", day_of(act, "tm"), act, cites, **reason)
