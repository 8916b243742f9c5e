"""The replay driver: dated events against one agreement's clauses, in logical time.

Follow an event from input to finding:
1. `parse_events` checks the whole stream (types, parties, dates, order) before anything runs.
2. `Run.start` starts the term: `term_started`, every value the documents give differently
   (`source_conflict`), each clause's `start` hook, and the first period (its facts and timers).
3. For each event dated D, the clock fires every timer due before D first (the tie rule, in
   `clock`), then the event is asserted as an `ev_<type>` fact, unless it lies outside the term
   and no clause evaluates such events there.
4. The inference core reports which rules fired on which facts; the driver applies each
   activation once, in rule order (`clauses.CLAUSES`, then declaration order), through the
   clause method its `RuleSpec` names. Handlers write findings, assert markers and schedule
   timers.
5. After the last event the remaining timers fire until the agreement has ended; then each
   clause's `finish` hook runs, and the answer is built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from iop_engine._version import __version__
from iop_engine.clauses import CLAUSES
from iop_engine.clauses.base import Clause, Handler, RuleSpec
from iop_engine.clauses.continuation import Continuation
from iop_engine.dates import action_deadline, next_workday, non_workday_reason
from iop_engine.events import Event, parse_events, with_admitted
from iop_engine.inference import Activation, Evaluator, EvaluatorName, RuleBook, Scalar, Session, evaluator
from iop_engine.law import NEXT_WORKDAY
from iop_engine.model import Agreement, Answer, Citation, Deadline, Fact, PartyStatus, PeriodKind, cites_of
from iop_engine.money import show
from iop_engine.phrases import phrase
from iop_engine.replay.amendments import with_amendments
from iop_engine.replay.clock import Clock
from iop_engine.replay.facts import PeriodFact, event_fact
from iop_engine.replay.findings import FindingLog
from iop_engine.replay.lifecycle import EndCause, Lifecycle
from iop_engine.replay.money_book import MoneyBook
from iop_engine.vocabulary.walk import facts_of

C = TypeVar("C", bound=Clause)


@attrs.frozen
class CompiledRules:
    """An agreement's rules for the inference core, and which clause handles each."""

    book: RuleBook
    specs: Mapping[str, tuple[type[Clause], RuleSpec]]
    priority: Mapping[str, int]
    clauses: tuple[type[Clause], ...]  # the clauses the agreement has, in registry order
    event_types: frozenset[str]  # event types some rule acts on
    evidence_types: frozenset[str]  # event types rules only look for as having happened before
    # Every value the documents give differently (walking the whole agreement costs more than a
    # short replay, so it is done once with the rules).
    conflicts: tuple[tuple[str, Fact[Any], Callable[[Any], str]], ...]


def compile_rules(agreement: Agreement) -> CompiledRules:
    clauses = tuple(cls for cls in CLAUSES if cls.applies(agreement))
    specs = {s.rule.name: (cls, s) for cls in clauses for s in cls.rules(agreement)}
    rules = tuple(s.rule for _, s in specs.values())
    book = RuleBook(f"iop_{agreement.id.replace('-', '_')}_{agreement.content_hash[:12]}", rules)
    # An event only an `absent` pattern looks at (a breach a later rescission rests on) has no
    # effect of its own: it is not "used", and the answer says what it is for.
    used = _event_types(p for rule in rules for _, p in rule.patterns)
    evidence = _event_types(p for rule in rules for p in rule.absent) - used
    priority = {name: i for i, name in enumerate(specs)}
    conflicts = tuple(conflicting_values(agreement))
    return CompiledRules(book, specs, priority, clauses, used, evidence, conflicts)


def _event_types(patterns: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    return frozenset(str(t)[3:] for p in patterns for t in _type_tests(p) if str(t).startswith("ev_"))


def _type_tests(pattern: Mapping[str, Any]) -> Iterable[Any]:
    """The fact types (`t`) a pattern tests for."""
    for key, value in pattern.items():
        if key == "t":
            yield value
        elif key in ("$and", "$or"):
            for part in value:
                yield from _type_tests(part)


_compiled_cache: dict[tuple[str, str], CompiledRules] = {}


def compiled_rules(agreement: Agreement) -> CompiledRules:
    key = (agreement.id, agreement.content_hash)
    if key not in _compiled_cache:
        _compiled_cache[key] = compile_rules(agreement)
    return _compiled_cache[key]


def replay(
    agreement: Agreement,
    events: Sequence[Mapping[str, Any]] | Sequence[Event] = (),
    *,
    until: dt.date | None = None,
    evaluate_with: EvaluatorName | Evaluator = "rete",
) -> Answer:
    """Replay `events` against `agreement`; the answer as of `until` (default: the whole life).

    Raw mappings are checked first with `parse_events` (raising `EventError`); with `until`,
    events after that day are ignored and findings after it left out, while `end` and the
    parties' `until` show the projected outcome if nothing else happens. `evaluate_with` picks
    the rule evaluator: durable-rules (`rete`, the default) or the pure-Python `reference`.
    """
    checked: tuple[Event, ...] = (
        tuple(e for e in events if isinstance(e, Event))
        if all(isinstance(e, Event) for e in events)
        else parse_events(events, agreement)
    )
    chosen = evaluator(evaluate_with) if isinstance(evaluate_with, str) else evaluate_with

    def run_against(version: Agreement) -> Answer:
        compiled = compiled_rules(version)
        with chosen.session(compiled.book) as session:
            run = Run(version, compiled, session, horizon(version, checked, until))
            run.start()
            for event in checked:
                if until is not None and event.date > until:
                    break
                run.apply_event(event)
            run.finish()
        return run.answer(until)

    return with_amendments(with_admitted(agreement, checked), checked, run_against, until)


PROJECTION_YEARS = 5
"""How many calendar years past its start, its last event or the day asked about the answer
follows an agreement that has no last possible day (renewal without a cap, "tills vidare")."""


def horizon(agreement: Agreement, events: Sequence[Event], until: dt.date | None) -> dt.date:
    """The last day a replay follows: the cap, or for an agreement without one, the last day of
    the PROJECTION_YEARS-th calendar year after the latest of its start, its events and `until`
    (a year's end, so yearly parts are never cut short by the projection)."""
    if agreement.cap is not None:
        return agreement.cap
    latest = max([agreement.term_start, *(e.date for e in events), *([until] if until else [])])
    return dt.date(latest.year + PROJECTION_YEARS, 12, 31)


class Run:
    """One replay's state. Mutable by design, and private to the replay: only `Answer` leaves."""

    def __init__(
        self, agreement: Agreement, compiled: CompiledRules, session: Session, last_day: dt.date
    ) -> None:
        self.agreement = agreement
        self.horizon = last_day
        self.compiled = compiled
        self.session = session
        self.log = FindingLog(agreement)
        self.clock = Clock()
        self.life = Lifecycle()
        self.life.joined = {p.id: None for p in agreement.parties if p.admitted}
        self.book = MoneyBook()
        self.deadlines: list[Deadline] = []
        self.events: dict[int, Event] = {}
        self.applied: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        self.clauses: dict[type[Clause], Clause] = {cls: cls(self) for cls in compiled.clauses}
        self.handlers: dict[str, tuple[Clause, Handler]] = {
            name: (self.clauses[owner], s.handler) for name, (owner, s) in compiled.specs.items()
        }
        self.continuation = next((c for c in self.clauses.values() if isinstance(c, Continuation)), None)
        self.outside_term = frozenset().union(*(cls.outside_term_events for cls in compiled.clauses))
        self.before_term = self.outside_term.union(*(cls.before_term_events for cls in compiled.clauses))

    # -- what clauses use ------------------------------------------------------------------------
    def clause(self, kind: type[C]) -> C | None:
        """This replay's instance of a clause, if the agreement has it."""
        found = self.clauses.get(kind)
        return found if isinstance(found, kind) else None

    def cites(self, rule: str) -> tuple[Citation, ...]:
        return self.compiled.specs[rule][1].cites

    def event_at(self, position: int) -> Event:
        return self.events[position]

    def assert_fact(self, fact: Mapping[str, Scalar]) -> None:
        fired = self.session.assert_fact(fact)
        # Rule order first; within a rule, the order its facts were asserted in (ids grow with
        # it in every evaluator), so the answer never depends on an evaluator's internal order.
        priority = self.compiled.priority
        for activation in sorted(fired, key=lambda x: (priority[x.rule], _fact_order(x))):
            key = activation.key()
            if key in self.applied:
                continue
            self.applied.add(key)
            clause, handler = self.handlers[activation.rule]
            handler(clause, activation)

    def add_deadline(self, n: int, kind: str, nominal: dt.date, fact: Fact[Any] | None) -> dt.date:
        """A last day for an action in period `n`; the day that counts under the roll policy."""
        policy = self.agreement.deadline_roll.value or "none"
        rolled = action_deadline(nominal, policy)
        cites = cites_of(fact, self.agreement.deadline_roll, readings=False)
        self.deadlines.append(
            Deadline(kind, nominal, rolled.rolled, policy, rolled.moved_if_rolled, cites, n)
        )
        return rolled.effective

    def late_by_the_letter(
        self, done: dt.date, deadline: dt.date, cites: Iterable[Citation], trace: tuple[str, ...], **data: Any
    ) -> None:
        """After a late act: where the last day fell on a weekend or holiday, the rule file does not
        move it, and the act came on the next workday, the act is late only by the letter; under
        lag (1930:173) 2 § by analogy it is in time. Say so, as an `ambiguity`."""
        reason = non_workday_reason(deadline)
        if self.agreement.deadline_roll.value == "next_workday" or reason is None:
            return
        moved = next_workday(deadline)
        if done <= moved:
            fields = {"deadline": deadline.isoformat(), "reason": reason, "moved": moved.isoformat()}
            key = "ambiguity.late_next_workday"
            self.log.reading(done, (*cites, NEXT_WORKDAY), trace, None, key, fields, **fields, **data)

    # -- the lifecycle ---------------------------------------------------------------------------
    def begin_period(self, start: dt.date, end: dt.date | None, kind: PeriodKind) -> None:
        """A period begins; `end` None for one that runs until terminated ("tills vidare")."""
        cap = self.agreement.cap
        last = self.continuation is None or end is None or (cap is not None and end >= cap)
        n = len(self.life.periods) + 1
        deadline = None if last or end is None else self.continuation.open_period(n, start, end)  # type: ignore[union-attr]
        self.life.add_period(start, end, kind)
        for clause in self.clauses.values():
            clause.period_begins(self.life.periods[-1], kind == "initial")
        if end is not None:
            self.clock.schedule(end, "period_end", n)
        self.assert_fact(PeriodFact(n, start, end, deadline, last).fact())

    def next_period(self, act: Activation, kind: PeriodKind, decided: dt.date | None = None) -> None:
        """The matched period `p` is followed by a next one (a renewal, an extension, or the
        open period of an agreement that then runs until terminated). An extension `decided` on
        a day runs for the length and up to the cap in force that day: an amendment that applies
        from a later day does not rewrite a decision already taken."""
        p = PeriodFact.matched(act)
        if p.n in self.life.continued or self.life.end is not None or self.life.undetermined:
            return  # a period continues at most once, and never after the agreement has ended
        assert self.continuation is not None and p.end is not None
        self.life.continued.add(p.n)
        start = p.end + dt.timedelta(days=1)
        if start > self.horizon:
            return  # beyond what the answer projects: the agreement goes on, undecided
        terms = self.agreement.on(decided) if decided is not None else self.agreement
        step = self.continuation.step_in(terms)
        if step is not None and step.value is None:
            self.undetermined(p.end, step, (act.rule,), "continuation.step_months")
            return
        cap = terms.cap
        end = self.continuation.period_end_after(start, terms)
        end = min(end, cap) if cap is not None and end is not None else end
        fields = {"period_start": start.isoformat(), **({"period_end": end.isoformat()} if end else {})}
        code = {"renewal": "renewed", "extension": "extended"}.get(kind, "continues_indefinitely")
        self.log.add(code, start, self.cites(act.rule), (act.rule,), effective=start, **fields)
        self.begin_period(start, end, kind)

    def undetermined(self, day: dt.date, fact: Fact[Any], trace: tuple[str, ...], path: str) -> None:
        """The agreement's course cannot be computed from `day` on: the rule file does not give
        `fact` (at `path`), which it needs. Said once; no period begins after it, and events and
        timers after it are not assessed."""
        if self.life.undetermined is not None:
            return
        self.life.undetermined = day
        self.log.unregulated(day, fact, trace, value=path, undetermined_from=day.isoformat())

    def party_ends(self, party: str, day: dt.date, cause: EndCause) -> None:
        """The party's part ends on `day` (the earliest known end counts), and every clause hears
        of it."""
        if self.life.party_ends(party, day, cause):
            for clause in self.clauses.values():
                clause.party_leaves(party, day, cause)

    def end_agreement(
        self,
        code: str,
        effective: dt.date,
        act: Activation | None,
        cites: Iterable[Citation] | None = None,
        cause: EndCause = "ended",
        **reason: str,
    ) -> None:
        """The agreement ends on `effective`, and with it every party's part that still runs. The
        finding cites `cites` where given, else the clauses of the rule that fired."""
        if self.life.end is not None:
            return
        self.life.end = effective
        for party in self.agreement.parties:
            if not self.life.never_joined(party.id):
                self.party_ends(party.id, effective, cause)
        for clause in self.clauses.values():
            clause.agreement_ends(effective)
        if cites is None:
            cites = self.cites(act.rule) if act else ()
        trace = (act.rule,) if act else ()
        self.log.add(code, effective, tuple(cites), trace, effective=effective, cause=cause, **reason)

    # -- running ---------------------------------------------------------------------------------
    def start(self) -> None:
        a = self.agreement
        start, end = a.term_start, a.term.end.value if a.term.end else None
        cites = cites_of(a.term.start, a.term.end, readings=False)
        fields = {"period_end": end.isoformat()} if end else {}
        template = None if end else "term_started.open"
        self.log.add(
            "term_started", start, cites, ("term.start",), effective=start, template=template, **fields
        )
        for about, fact, shown in self.compiled.conflicts:
            self.log.source_conflict(about, fact, start, shown, "sources")
        self._open_ended()
        for clause in self.clauses.values():
            clause.start()
        self.begin_period(start, end, "initial")

    def _open_ended(self) -> None:
        """An agreement without a last possible day: say so, and how far the answer follows it."""
        a, c = self.agreement, self.agreement.continuation
        cap = getattr(c, "cap", None)
        if cap is not None and cap.value is None and cap.unregulated is not None:
            self.log.unregulated(a.term_start, cap, ("term.open_ended",), value="continuation.cap")
        if a.cap is not None:
            return
        step = getattr(c, "step_months", None)
        if step is None:
            variant = "indefinite"
        else:
            variant = "renewal" if step.value is not None else "renewal_step_open"
        self.log.add(
            "open_ended",
            a.term_start,
            cites_of(step, cap, a.termination.period_months),
            ("term.open_ended",),
            template=f"open_ended.{variant}",
            horizon=self.horizon.isoformat(),
            step=step.value if step is not None else None,
        )

    def apply_event(self, event: Event) -> None:
        self._fire_timers(before=event.date)
        self.events[event.position] = event
        a = self.agreement
        before = event.date < a.term_start
        evaluated = self.before_term if before else self.outside_term
        if (before or self.life.after_end(event.date)) and event.type not in evaluated:
            where = phrase("where", "event_outside_term.before" if before else "event_outside_term.after")
            cites = cites_of(a.term.start, a.term.end, readings=False)
            party = event.get("by")
            self.log.add(
                "event_outside_term",
                event.date,
                cites,
                ("term.bounds",),
                party=party,
                event=event.type,
                position=event.position,
                **where,
            )
            return
        if self.life.unknown_after(event.date) and event.type not in self.outside_term:
            words = phrase(
                "text", "unregulated.after_undetermined", event=event.type, position=event.position
            )
            self.log.add(
                "unregulated", event.date, (), ("term.undetermined",), party=event.get("by"), **words
            )
            return
        outsider = self._not_admitted(event)
        if outsider is not None:
            words = phrase("text", "unregulated.not_admitted", event=event.type, position=event.position)
            self.log.add("unregulated", event.date, (), ("events.not_admitted",), party=outsider, **words)
            return
        if event.type not in self.compiled.event_types:
            unused = "evidence" if event.type in self.compiled.evidence_types else "unused"
            words = phrase(
                "text",
                f"unregulated.event_{unused}",
                event=event.type,
                position=event.position,
                agreement=a.id,
            )
            self.log.add("unregulated", event.date, (), ("events.unused",), party=event.get("by"), **words)
        self.assert_fact(event_fact(event, a))

    def _not_admitted(self, event: Event) -> str | None:
        """A party the event names that a `party_admitted` event adds but that has not (validly)
        joined by the event's day; the admission itself names its party freely."""
        if event.type == "party_admitted":
            return None
        for key in ("by", "party", "against", "to"):
            named = event.get(key)
            if named in self.life.joined and not self.life.still_in(named, event.date):
                return str(named)
        return None

    def _fire_timers(self, before: dt.date | None) -> None:
        life = self.life
        for timer in self.clock.due_before(before):
            if timer.outlives or not (life.after_end(timer.date) or life.unknown_after(timer.date)):
                self.assert_fact(timer.fact())

    def finish(self) -> None:
        self._fire_timers(before=None)
        for clause in self.clauses.values():
            clause.finish()

    def answer(self, until: dt.date | None) -> Answer:
        def seen(day: dt.date) -> bool:
            return until is None or day <= until

        a, life = self.agreement, self.life
        parties = tuple(
            PartyStatus(p.id, life.party_until(p.id) or life.end, p.name if p.admitted else None)
            for p in a.parties
            if not life.never_joined(p.id)
        )
        return Answer(
            agreement=a.id,
            periods=tuple(p for p in life.periods if seen(p.start)),
            end=life.end,
            parties=parties,
            deadlines=tuple(sorted(self.deadlines, key=lambda d: (d.date, d.kind))),
            findings=tuple(f for f in sorted(self.log.items, key=lambda f: f.date) if seen(f.date)),
            as_of=until,
            rules_hash=a.content_hash,
            engine_version=__version__,
            money=self.book.summary(a.payees, until) if a.payments else (),
            ledger=tuple((e.kind, e.date, e.party, e.amount) for e in self.book.entries),
        )


def conflicting_values(a: Agreement) -> Iterator[tuple[str, Fact[Any], Callable[[Any], str]]]:
    """Every value the documents give differently, in the order of the rule file, with its label
    and how to show it."""
    for place, fact in facts_of(a):
        if fact.alternatives:
            shown = show if isinstance(fact.value, Decimal) else str
            yield place.sv, fact, shown


def _fact_order(activation: Activation) -> tuple[int, ...]:
    return tuple(int(activation.facts[alias]["id"]) for alias in sorted(activation.facts))
