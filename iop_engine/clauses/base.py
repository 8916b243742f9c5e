"""What a clause module is: its rules with their clauses, its handlers, its state, its hooks.

A clause kind (notice, renewal, payments, …) is one module with one `Clause` subclass. At
compile time (once per agreement) `rules()` yields `RuleSpec`s: a rule for the inference core,
the clauses it rests on, and the method that handles its activations. At replay time the driver
makes one instance per applicable clause; the instance keeps that clause's state for the replay
and reaches the rest of the replay through `self.run` (the driver's `Run`).

Hooks, called by the driver in registry order (`clauses.CLAUSES`): `start` after the term has
started, `period_begins` for every period, `party_leaves` whenever a party's last day becomes
known (or earlier), `agreement_ends` once, `finish` after the last timer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from iop_engine.dates import BackwardCount, day_of_year, months_before
from iop_engine.events import Event
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, Citation, Fact, Period, cites_of
from iop_engine.vocabulary.term import DaysBefore, DeadlineRule, FixedDay, MonthsBefore

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run
    from iop_engine.replay.lifecycle import EndCause

E = TypeVar("E", bound=Event)
Handler = Callable[[Any, Activation], None]


@attrs.frozen
class RuleSpec:
    """A rule, the clauses its findings cite, and the clause method that applies it."""

    rule: Rule
    cites: tuple[Citation, ...]
    handler: Handler


def spec(rule: Rule, handler: Handler, *facts: Fact[Any] | None) -> RuleSpec:
    """A `RuleSpec` citing the clauses the `facts` rest on."""
    return RuleSpec(rule, cites_of(*facts), handler)


class Clause:
    """One clause kind in one replay."""

    # Event types this clause evaluates even before the term starts or after it has ended
    # (money moves after an agreement ends).
    outside_term_events: ClassVar[frozenset[str]] = frozenset()
    # Event types this clause evaluates before the term starts (a budget is decided before the
    # year it funds begins), but not after the end.
    before_term_events: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, run: Run) -> None:
        self.run = run
        self.a = run.agreement

    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        """Whether the agreement has this clause at all."""
        return True

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        return ()

    def start(self) -> None:
        """The term has started: report what the clause leaves open, schedule its timers."""

    def period_begins(self, period: Period, initial: bool) -> None:
        """A period begins (the first one, or a renewal or extension)."""

    def party_leaves(self, party: str, last_day: dt.date, cause: EndCause) -> None:
        """The party's part ends on `last_day` (which may still lie ahead). Called again if an
        earlier end becomes known, and for every party when the agreement ends."""

    def agreement_ends(self, effective: dt.date) -> None:
        """The agreement ends on `effective`."""

    def finish(self) -> None:
        """Every event and timer has been applied."""

    # -- conveniences for handlers ------------------------------------------------------------
    def event(self, act: Activation, alias: str, kind: type[E]) -> E:
        """The input event behind the fact a rule matched as `alias`, as its type."""
        event = self.run.event_at(int(act.facts[alias]["pos"]))
        assert isinstance(event, kind), f"{act.rule} matched a {event.type} as {alias}"
        return event

    def cut_by_cap_of_its_day(
        self,
        act: Activation,
        acted_on: dt.date,
        cap: dt.date | None,
        effective: dt.date,
        party: str,
        key: str,
    ) -> None:
        """An act (a notice, an expulsion) whose effect the cap in force on its day cut short,
        where an amendment applying later moved the cap: the engine keeps the terms of the act's
        day; that the act runs its full period under the amended agreement is the other reading,
        said on the day the amendment applies (before it, the answer is the one without it)."""
        if cap is None or effective <= cap or self.a.cap == cap:
            return
        self.cap_moved(act, acted_on, cap, party, key, notice_ends=effective.isoformat())

    def cap_moved(
        self, act: Activation, acted_on: dt.date, cap: dt.date, party: str, key: str, **fields: str
    ) -> None:
        """An act that kept the cap in force on its day (`cap`) where an amendment applying later
        moved it: the other reading (`key`, with `fields`), said on the first day the amendment
        applies after the act (before it, the answer is the one without it)."""
        since = min(
            day
            for place, day, _ in self.a.superseded
            if place in ("continuation.cap", "term.end") and acted_on < day
        )
        words = {"cap": cap.isoformat(), "amended": str(self.a.cap), **fields}
        self.run.log.reading(since, self.run.cites(act.rule), (act.rule,), None, key, words, party=party)

    def ruled(self, code: str, date: dt.date, act: Activation, **fields: Any) -> None:
        """A finding resting on the clauses of the rule that fired."""
        self.run.log.add(code, date, self.run.cites(act.rule), (act.rule,), **fields)


def deadline_day(rule: DeadlineRule, reference: dt.date) -> tuple[dt.date, BackwardCount | None]:
    """The last day a deadline rule gives before `reference` (a period's end, a review's reference
    day); for months counted backwards, also the count with the other readings."""
    if isinstance(rule, FixedDay):
        for year in (reference.year, reference.year - 1):
            candidate = day_of_year(year, rule.day)
            if candidate <= reference:
                return candidate, None
        raise AssertionError("a day of the year lies within a year before the reference")
    if isinstance(rule, MonthsBefore):
        count = months_before(reference, rule.months_before, rule.convention)
        return count.date, count
    assert isinstance(rule, DaysBefore)
    return reference - dt.timedelta(days=rule.days_before), None


def report_backward_count(run: Run, count: BackwardCount, fact: Fact[Any], rule: str, on: dt.date) -> None:
    """A deadline counted in months backwards from a period's end allows other readings: say
    which day the engine computes with and which others there are, on `on` (the day the deadline
    becomes known, its period's start)."""
    others = [d.isoformat() for d in count.other_readings]
    fields = {
        "months": count.months,
        "origin": count.origin.isoformat(),
        "computed": count.date.isoformat(),
        "others": ", ".join(others),
    }
    run.log.reading(
        on,
        cites_of(fact, readings=False),
        (rule, "dates.months_before"),
        fact.reading,
        "ambiguity.months_before" + ("" if count.convention == "same_day_number" else f".{count.convention}"),
        fields,
        computed=count.date.isoformat(),
        other_readings=others,
    )


def note_of(fact: Fact[Any]) -> str:
    """What the rule file says about a value: its unregulated note, or its note."""
    if fact.unregulated is not None:
        return fact.unregulated.note
    return fact.note or ""
