"""The replay engine: dated events against one agreement's rules, in logical time.

Follow an event from input to finding:
1. `parse_events` checks the whole stream (types, parties, dates, order) before anything runs.
2. `_Replay.start` opens the first period: its facts and deadlines go into working memory and
   the timer queue (period ends, action deadlines, review dates).
3. For each event dated D: every timer due *before* D fires first (tie rule: a deadline or
   period end dated D is processed after the events of day D, because a deadline is inclusive:
   an action on its last day is in time). Then the event is asserted as a fact.
4. The inference core (`rete`) reports which rules fired on which facts; `_Replay` applies each
   activation once, in rule order, through the handler named like the rule. Handlers write
   findings (citing the rule's clauses), assert marker facts and schedule timers.
5. After the last event, the remaining timers fire until the agreement has ended: the answer
   is the agreement's life as far as the events decide it.

Time is only ever the events' dates and the agreement's own dates, never the wall clock.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from iop_engine._version import __version__
from iop_engine.authority import KL_DELEGATION_REPORT, ApprovalAnswer, Change, approvals, body_name, definite
from iop_engine.dates import BackwardCount, action_deadline, add_months, months_before
from iop_engine.events import Event, parse_events
from iop_engine.inference import Activation, Evaluator, EvaluatorName, Scalar, Session, evaluator
from iop_engine.ledger import EndCause, Instalment, Ledger
from iop_engine.model import (
    Agreement,
    Answer,
    ChangedCircumstances,
    Citation,
    Deadline,
    Deficiency,
    Fact,
    Finding,
    Money,
    PartyStatus,
    Period,
    PeriodKind,
    Review,
    cites_of,
)
from iop_engine.money import Span, show
from iop_engine.rulebook import CompiledRules, compile_rules

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
    compiled = compiled_rules(agreement)
    chosen = evaluator(evaluate_with) if isinstance(evaluate_with, str) else evaluate_with
    with chosen.session(compiled.book) as session:
        run = _Replay(agreement, compiled, session)
        run.start()
        for event in checked:
            if until is not None and event.date > until:
                break
            run.apply_event(event)
        run.finish()
    return run.answer(until)


class _ChangeState:
    """What a proposed change still needs, and what it has received."""

    def __init__(self, answer: ApprovalAnswer, proposed: Event, signatories: set[str]) -> None:
        self.answer = answer
        self.proposed = proposed
        self.required_bodies = {a.body for a in answer.approvals}
        self.signatories = signatories if self._demands("signed_by_all_parties", True) else set()
        self.registration = self._demands("registered", True)
        self.registration_owed = self._demands("registered", False)
        self.approved: set[str] = set()
        self.signed: set[str] = set()
        self.registered = False
        self.valid = False
        self.adopted = False
        self.rejected = False

    def missing(self, for_validity: bool = False) -> list[str]:
        """What the change still lacks: for validity only, or for adoption (the duties too)."""
        out = [f"beslut: {b}" for b in sorted(self.required_bodies - self.approved)]
        out += [f"underskrift: {p}" for p in sorted(self.signatories - self.signed)]
        registration = self.registration or (self.registration_owed and not for_validity)
        if registration and not self.registered:
            out.append("registrering")
        return out

    def _demands(self, requirement: str, for_validity: bool) -> bool:
        return any(
            f.requirement == requirement and f.regulated and f.for_validity == for_validity
            for f in self.answer.form
        )

    @property
    def requires_anything(self) -> bool:
        return bool(self.required_bodies or self.signatories or self.registration)

    @property
    def cites(self) -> tuple[Citation, ...]:
        """The clauses of the approvals and form; where the documents regulate neither, the clauses
        of the notes saying so (an answer "nobody is said to decide" rests on those)."""
        out = [c for a in self.answer.approvals for c in a.cites]
        out += [c for f in self.answer.form for c in f.cites]
        if not out:
            out = [c for n in self.answer.notes for c in n.cites]
        return tuple(dict.fromkeys(out))


class _Replay:
    """One replay's state. Mutable by design, and private: only `Answer` leaves it."""

    def __init__(self, agreement: Agreement, compiled: CompiledRules, session: Session) -> None:
        self.a = agreement
        self.rules = compiled
        self.session = session
        self.periods: list[Period] = []
        self.period_facts: dict[int, dict[str, Scalar]] = {}
        self.deadlines: list[Deadline] = []
        self.findings: list[Finding] = []
        self.timers: list[tuple[int, int, str, int, int]] = []
        self.timer_seq = 0
        self.end: dt.date | None = None
        self.party_until: dict[str, dt.date] = {}
        self.intents: dict[int, dict[str, bool]] = {}
        self.events: dict[int, Event] = {}
        self.changes: dict[str, _ChangeState] = {}
        self.leaving: set[str] = set()  # parties whose notice of their own commitment is running
        self.unfunded_years: set[int] = set()
        self.continued: set[int] = set()  # periods already followed by a next one
        self.applied: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        self.ledger = Ledger(agreement, self.finding) if agreement.money else None
        self.expelled: set[str] = set()
        self.handlers: dict[str, Callable[[Activation], None]] = {
            name: getattr(self, "on_" + name.replace(".", "_")) for name in compiled.priority
        }

    # -- running -----------------------------------------------------------------------------------
    def start(self) -> None:
        a = self.a
        start, end = a.term_start, a.term_end
        self.finding(
            "term_started",
            start,
            cites_of(a.term.start, a.term.end, ambiguities=False),
            ("term.start",),
            effective=start,
            period_end=end.isoformat(),
        )
        conflicts: list[tuple[str, Fact[Any] | None, Callable[[Any], str], str]] = [
            ("startdatum", a.term.start, str, "sources"),
            ("förlängningssteg", a.continuation.step_months, str, "sources"),
        ]
        if a.money is not None:
            conflicts.append(("ersättningen per år", a.money.annual_amount, show, "money.annual_amount"))
        for about, fact, shown, rule in conflicts:
            if fact is not None and fact.alternatives:
                self.source_conflict(about, fact, start, shown, rule)
        if isinstance(a.review, Review):
            self.schedule_review(a.review)
        if self.ledger is not None:
            self.schedule_instalments(self.ledger.open(start))
            if a.money is not None and a.money.report is not None:
                for year in range(start.year, a.cap.year + 1):
                    self.schedule(min(dt.date(year, 12, 31), a.cap), "report", n=year)
        self.begin_period(1, start, end, "initial")

    def schedule_instalments(self, instalments: Iterable[Instalment]) -> None:
        assert self.ledger is not None
        for inst in instalments:
            self.schedule(inst.due, "instalment", ref=self.ledger.instalments.index(inst))

    def apply_event(self, event: Event) -> None:
        self.advance(before=event.date)
        self.events[event.position] = event
        outside = event.date < self.a.term_start or (self.end is not None and event.date > self.end)
        if outside and event.type not in MONEY_AFTER_THE_FACT:
            where = ("före", "before") if event.date < self.a.term_start else ("efter", "after")
            self.finding(
                "event_outside_term",
                event.date,
                cites_of(self.a.term.start, self.a.term.end, ambiguities=False),
                ("term.bounds",),
                party=event.get("by"),
                event=event.type,
                where_sv=where[0],
                where_en=where[1],
                position=event.position,
            )
            return
        if event.type not in self.rules.event_types:
            self.finding(
                "unregulated",
                event.date,
                (),
                ("events.unused",),
                party=event.get("by"),
                text_sv=f"Händelsen {event.type} (#{event.position}) har ingen verkan enligt reglerna för "
                f"{self.a.id}; dokumenten reglerar den inte.",
                text_en=f"The event {event.type} (#{event.position}) has no effect under the rules of "
                f"{self.a.id}; the documents do not regulate it.",
            )
        self.assert_fact(_event_fact(event, self.a))

    def finish(self) -> None:
        self.advance(before=None)
        if self.ledger is not None:
            self.ledger.settle()
        last_day = max((e.date for e in self.events.values()), default=self.a.term_start)
        for change_id, state in self.changes.items():
            if state.adopted or state.rejected:
                continue
            missing = state.missing() or ["oreglerat: dokumenten anger inte vad som antar ändringen"]
            self.finding(
                "change_pending",
                last_day,
                state.cites,
                ("change.pending",),
                change=change_id,
                missing=missing,
                missing_text=", ".join(missing),
            )

    def advance(self, before: dt.date | None) -> None:
        """Fire every timer due before `before` (all of them when None), in date order."""
        limit = before.toordinal() if before else None
        while self.timers and (limit is None or self.timers[0][0] < limit):
            day, _, kind, n, ref = heapq.heappop(self.timers)
            if self.end is not None and day > self.end.toordinal():
                continue
            self.assert_fact(
                {"t": "timer", "kind": kind, "n": n, "ref": ref, "day": day, "limit": self.timer_limit(kind)}
            )

    def timer_limit(self, kind: str) -> int:
        if kind == "review_due" and isinstance(self.a.review, Review):
            return _ordinal(self.a.review.if_not_agreed_ends)
        return 0

    def schedule(self, day: dt.date, kind: str, n: int = 0, ref: int = 0) -> None:
        self.timer_seq += 1
        heapq.heappush(self.timers, (day.toordinal(), self.timer_seq, kind, n, ref))

    def assert_fact(self, fact: Mapping[str, Scalar]) -> None:
        fired = self.session.assert_fact(fact)
        # Rule order first; within a rule, the order its facts were asserted in (ids grow with
        # it in every evaluator), so the answer never depends on an evaluator's internal order.
        for activation in sorted(fired, key=lambda x: (self.rules.priority[x.rule], _fact_order(x))):
            key = activation.key()
            if key in self.applied:
                continue
            self.applied.add(key)
            self.handlers[activation.rule](activation)

    # -- findings ----------------------------------------------------------------------------------
    def finding(
        self,
        code: str,
        date: dt.date,
        cites: Iterable[Citation],
        trace: tuple[str, ...],
        *,
        effective: dt.date | None = None,
        party: str | None = None,
        **data: Any,
    ) -> None:
        names = {
            "party": self.a.name_of(party),
            "date": date.isoformat(),
            "effective": effective.isoformat() if effective else "",
        }
        self.findings.append(
            Finding(
                code=code,
                date=date,
                message_fields={**data, **names},
                cites=tuple(dict.fromkeys(cites)),
                effective=effective,
                party=party,
                data={k: v for k, v in data.items() if not k.endswith(("_sv", "_en"))},
                trace=trace,
            )
        )

    def ruled(self, code: str, date: dt.date, activation: Activation, **kw: Any) -> None:
        """A finding resting on the clauses of the rule that fired."""
        self.finding(code, date, self.rules.cites[activation.rule], (activation.rule,), **kw)

    def ambiguity(
        self, date: dt.date, cites: Iterable[Citation], trace: tuple[str, ...], sv: str, en: str, **data: Any
    ) -> None:
        self.finding("ambiguity", date, cites, trace, text_sv=sv, text_en=en, **data)

    def unregulated(self, date: dt.date, fact: Fact[Any], trace: tuple[str, ...], en: str) -> None:
        assert fact.unregulated is not None
        self.finding(
            "unregulated",
            date,
            cites_of(fact, ambiguities=False),
            trace,
            text_sv=fact.unregulated.note,
            text_en=en,
            looked_at=list(fact.unregulated.looked_at),
        )

    def source_conflict(
        self, about: str, fact: Fact[Any], date: dt.date, shown: Callable[[Any], str], rule: str
    ) -> None:
        """The documents give `fact` different values: all of them, the one computed with, and why."""
        values = [fact.value, *(alt.value for alt in fact.alternatives)]
        self.finding(
            "source_conflict",
            date,
            cites_of(fact, ambiguities=False, alternatives=True),
            (rule,),
            about=about,
            values=" / ".join(shown(v) for v in values),
            chosen=shown(fact.value),
            because=fact.chosen_because,
        )

    # -- periods -----------------------------------------------------------------------------------
    def begin_period(self, n: int, start: dt.date, end: dt.date, kind: PeriodKind) -> None:
        a, c = self.a, self.a.continuation
        last = c.kind == "fixed" or end >= a.cap
        deadline = 0
        if not last and c.kind == "auto_renewal":
            deadline = self.add_deadline(n, "opt_out_notice", self.opt_out_day(end), c.opt_out_deadline)
        elif not last and c.kind == "opt_in_extension":
            months = _value(c.intent_months_before_end)
            count = months_before(end, months)
            deadline = self.add_deadline(n, "extension_intent", count.date, c.intent_months_before_end)
            if count.ambiguous:
                self.backward_ambiguity(count, c.intent_months_before_end, "extension.intent_deadline", start)
            self.schedule(dt.date.fromordinal(deadline), "intent_deadline", n)
        fact: dict[str, Scalar] = {
            "t": "period",
            "n": n,
            "start": start.toordinal(),
            "end": end.toordinal(),
            "deadline": deadline,
            "last": int(last),
            "next_year": (end + dt.timedelta(days=1)).year,
        }
        self.periods.append(Period(start, end, kind))
        self.period_facts[n] = fact
        if self.ledger is not None:
            self.schedule_instalments(self.ledger.plan_period(Span(start, end), initial=kind == "initial"))
        self.schedule(end, "period_end", n)
        self.assert_fact(fact)

    def opt_out_day(self, end: dt.date) -> dt.date:
        month, day = map(int, _value(self.a.continuation.opt_out_deadline).split("-"))
        return dt.date(end.year, month, day)

    def add_deadline(self, n: int, kind: str, nominal: dt.date, fact: Fact[Any] | None) -> int:
        policy = _value(self.a.deadline_roll)
        rolled = action_deadline(nominal, policy)
        self.deadlines.append(
            Deadline(
                kind,
                nominal,
                rolled.rolled,
                policy,
                rolled.moved_if_rolled,
                cites_of(fact, self.a.deadline_roll, ambiguities=False),
                n,
            )
        )
        return rolled.effective.toordinal()

    def backward_ambiguity(
        self, count: BackwardCount, fact: Fact[Any] | None, rule: str, on: dt.date
    ) -> None:
        """Reported on `on`, the day the deadline becomes known (its period's start)."""
        others = ", ".join(d.isoformat() for d in count.other_readings)
        self.ambiguity(
            on,
            cites_of(fact, ambiguities=False),
            (rule, "dates.months_before"),
            count.explanation_sv + ". Motorn räknar med den tidigaste dagen.",
            count.explanation_en + ". The engine uses the earliest day.",
            computed=count.date.isoformat(),
            other_readings=others.split(", "),
        )

    def period_end_after(self, start: dt.date) -> dt.date:
        """Last day of a continuation period starting on `start` (before the cap applies)."""
        return add_months(start, _value(self.a.continuation.step_months)) - dt.timedelta(days=1)

    def next_period(self, activation: Activation, kind: PeriodKind) -> None:
        p = activation.facts["p"]
        n, end = int(p["n"]), dt.date.fromordinal(int(p["end"]))
        if n in self.continued or self.end is not None:
            return  # a period continues at most once, and never after the agreement has ended
        self.continued.add(n)
        start = end + dt.timedelta(days=1)
        new_end = min(self.period_end_after(start), self.a.cap)
        self.ruled(
            "renewed" if kind == "renewal" else "extended",
            start,
            activation,
            effective=start,
            period_start=start.isoformat(),
            period_end=new_end.isoformat(),
        )
        self.begin_period(n + 1, start, new_end, kind)

    def end_agreement(
        self,
        code: str,
        effective: dt.date,
        activation: Activation | None,
        reason_sv: str,
        reason_en: str,
        cites: Iterable[Citation] = (),
        cause: EndCause = "ended",
    ) -> None:
        if self.end is not None:
            return
        self.end = effective
        for party in self.a.parties:
            self.party_until[party.id] = min(self.party_until.get(party.id, effective), effective)
            if self.ledger is not None:
                self.ledger.party_ended(party.id, self.party_until[party.id], cause)
        regular_report_day = min(dt.date(effective.year, 12, 31), self.a.cap)
        if self.a.money is not None and self.a.money.report is not None and effective != regular_report_day:
            self.schedule(effective, "report", n=effective.year)  # the last, partial year
        all_cites = tuple(cites) + (self.rules.cites[activation.rule] if activation else ())
        trace = (activation.rule,) if activation else ()
        self.finding(
            code, effective, all_cites, trace, effective=effective, reason_sv=reason_sv, reason_en=reason_en
        )

    def schedule_review(self, review: Review) -> None:
        reference = _value(review.reference_date)
        count = months_before(reference, _value(review.months_before))
        n_due = self.add_deadline(0, "review", count.date, review.months_before)
        if count.ambiguous:
            self.backward_ambiguity(count, review.months_before, "review.missing_at_due", self.a.term_start)
        self.schedule(dt.date.fromordinal(n_due), "review_due")
        self.schedule(_value(review.if_not_agreed_ends), "review_end")

    # -- rule handlers ------------------------------------------------------------------------------
    def event_of(self, act: Activation, alias: str) -> Event:
        """The input event behind the fact the rule matched as `alias`."""
        return self.events[int(act.facts[alias]["pos"])]

    # -- rule handlers: notices ---------------------------------------------------------------------

    def on_notice_not_written(self, act: Activation) -> None:
        ev = self.event_of(act, "m")
        self.ruled(
            "notice_defective",
            ev.date,
            act,
            party=ev.get("by"),
            position=ev.position,
            problems_sv="inte skriftlig",
            problems_en="not in writing",
        )

    def on_notice_wrong_recipient(self, act: Activation) -> None:
        ev = self.event_of(act, "m")
        wanted = ", ".join(_value(self.a.termination.to))
        self.ruled(
            "notice_defective",
            ev.date,
            act,
            party=ev.get("by"),
            position=ev.position,
            problems_sv=f"given till {ev.get('to')}, inte till {wanted}",
            problems_en=f"given to {ev.get('to')}, not to {wanted}",
        )

    def on_notice_accepted(self, act: Activation) -> None:
        ev = self.event_of(act, "m")
        t = self.a.termination
        unknown = []
        if t.written.regulated and t.written.value and ev.get("written") is None:
            unknown.append(("om den var skriftlig", "whether it was in writing"))
        if t.to.regulated and ev.get("to") is None:
            unknown.append(("till vem den gavs", "to whom it was given"))
        if unknown:
            self.ruled(
                "notice_form_unknown",
                ev.date,
                act,
                party=ev.get("by"),
                position=ev.position,
                unknown_sv=" eller ".join(u[0] for u in unknown),
                unknown_en=" or ".join(u[1] for u in unknown),
            )
        fact = dict(act.facts["m"])
        fact.pop("id", None)
        fact["t"] = "notice_ok"
        self.assert_fact(fact)

    def on_renewal_notice_in_time(self, act: Activation) -> None:
        p = act.facts["p"]
        ev = self._notice_ends_period(
            act,
            "uppsagt senast fristen: partnerskapet förlängs inte",
            "given by the deadline: the partnership does not renew",
            deadline=dt.date.fromordinal(int(p["deadline"])).isoformat(),
        )
        self.assert_fact({"t": "opt_out", "n": int(p["n"]), "pos": ev.position, "day": _day(ev)})

    def _notice_ends_period(self, act: Activation, basis_sv: str, basis_en: str, **data: Any) -> Event:
        """`notice_received`, effective at the end of the matched period `p`; the notice event."""
        ev = self.event_of(act, "a")
        self.ruled(
            "notice_received",
            ev.date,
            act,
            effective=dt.date.fromordinal(int(act.facts["p"]["end"])),
            party=ev.get("by"),
            position=ev.position,
            basis_sv=basis_sv,
            basis_en=basis_en,
            **data,
        )
        return ev

    def on_renewal_notice_late(self, act: Activation) -> None:
        p, ev = act.facts["p"], self.event_of(act, "a")
        next_start = dt.date.fromordinal(int(p["end"]) + 1)
        deadline = dt.date.fromordinal(int(p["deadline"]))
        self.ruled(
            "notice_late",
            ev.date,
            act,
            party=ev.get("by"),
            position=ev.position,
            deadline=deadline.isoformat(),
            next_start=next_start.isoformat(),
        )
        late = self.a.continuation.late_notice
        next_end = min(self.period_end_after(next_start), self.a.cap)
        if next_end >= self.a.cap:
            return  # the next period is the last one: it ends at the cap whatever the notice says
        if late is not None and late.value == "next_deadline":
            self.ambiguity(
                ev.date,
                self.rules.cites[act.rule],
                (act.rule,),
                _note(late) + f" Uppsägningen räknas mot fristen för perioden från {next_start}.",
                "The documents do not say what a notice after the deadline does; the engine "
                f"counts it against the deadline of the period starting {next_start}.",
                party=ev.get("by"),
            )
            self.assert_fact({"t": "opt_out", "n": int(p["n"]) + 1, "pos": ev.position, "day": _day(ev)})

    def on_renewal_notice_in_last_period(self, act: Activation) -> None:
        ev = self._notice_ends_period(
            act,
            "sista perioden: partnerskapet löper ut vid taket",
            "last period: the partnership expires at its cap",
        )
        period = self.a.termination.period_months
        if not period.regulated:
            self.unregulated(
                ev.date,
                period,
                (act.rule,),
                "Early termination with a notice period is not regulated by the "
                "available documents; the notice cannot end the partnership earlier.",
            )

    def on_notice_period_starts(self, act: Activation) -> None:
        ev = self.event_of(act, "a")
        t = self.a.termination
        changed = self.changed_circumstances(ev, act)
        months = _value(changed.keep_months if changed else t.period_months)
        effective = add_months(ev.date, months)
        cap = self.a.cap
        basis_sv = f"{months} månaders uppsägningstid"
        basis_en = f"{months} months' notice"
        if changed is not None:
            basis_sv += ", uppsägning av hela partnerskapet på grund av väsentligt förändrade omständigheter"
            basis_en += ", the whole partnership terminated for substantially changed circumstances"
        period_end = self.periods[-1].end if self.periods else cap
        if effective > cap:
            basis_sv += f"; avtalstiden slutar dessförinnan, {cap}"
            basis_en += f"; the term ends before that, on {cap}"
        elif effective > period_end and self.a.continuation.kind == "opt_in_extension":
            # Not yet extended: the partnership may end before the notice does.
            basis_sv += (
                f"; perioden slutar dessförinnan, {period_end}, "
                "och partnerskapet upphör då om det inte förlängs"
            )
            basis_en += (
                f"; the period ends before that, on {period_end}, and so does the partnership unless extended"
            )
        self.ruled(
            "notice_received",
            ev.date,
            act,
            effective=min(effective, cap),
            party=ev.get("by"),
            position=ev.position,
            basis_sv=basis_sv,
            basis_en=basis_en,
            notice_period_ends=effective.isoformat(),
        )
        if changed is not None and self.ledger is not None:
            self.ledger.keep_compensation(ev.date, min(effective, cap), act.rule)
            self.schedule(effective, "notice_effective", ref=ev.position)
            return
        if t.scope.ambiguity is not None and ev.get("scope") != t.scope.value:
            amb = t.scope.ambiguity
            self.ambiguity(
                ev.date,
                amb.cites,
                (act.rule,),
                amb.note,
                f"The notice says '{ev.get('scope')}'; the engine applies "
                f"'{t.scope.value}' and the other reading is '{amb.other_reading}'.",
                party=ev.get("by"),
            )
        party = self.a.party(ev.get("by"))
        if t.scope.value == "own_commitment" and party is not None and not party.is_public:
            self.leaving.add(party.id)
        self.schedule(effective, "notice_effective", ref=ev.position)

    def changed_circumstances(self, ev: Event, act: Activation) -> ChangedCircumstances | None:
        """The clause on termination for changed circumstances, if the notice invokes it and the
        agreement has one; where it has none, say so and treat the notice as an ordinary one."""
        if ev.get("ground") != "changed_circumstances":
            return None
        changed = self.a.money.changed_circumstances if self.a.money else None
        if changed is None:
            self.finding(
                "unregulated",
                ev.date,
                (),
                (act.rule,),
                party=ev.get("by"),
                text_sv="Dokumenten reglerar inte uppsägning på grund av förändrade omständigheter; "
                "motorn behandlar uppsägningen som en vanlig uppsägning.",
                text_en="The documents do not regulate termination for changed circumstances; the "
                "engine treats the notice as an ordinary one.",
            )
        return changed

    def on_notice_takes_effect(self, act: Activation) -> None:
        ev = self.event_of(act, "a")
        t = self.a.termination
        day = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        party = self.a.party(ev.get("by"))
        changed = self.a.money.changed_circumstances if self.a.money else None
        if ev.get("ground") == "changed_circumstances" and changed is not None:
            reason = (
                "uppsägning på grund av väsentligt förändrade omständigheter",
                "notice for changed circumstances",
            )
            self.end_agreement(
                "terminated",
                day,
                act,
                *reason,
                cites=cites_of(changed.keep_months, ambiguities=False),
                cause="changed_circumstances",
            )
            return
        ends_all = t.scope.value == "agreement"
        public_ends = t.public_party_ends_agreement
        if party is not None and party.is_public and public_ends is not None and public_ends.value:
            ends_all = True
            self.ambiguity(
                day,
                cites_of(public_ends, ambiguities=False),
                (act.rule,),
                _note(public_ends),
                "The notice comes from the public party, to whom every commitment is "
                "owed; the engine ends the whole partnership. The text does not say so "
                "expressly.",
                party=party.id,
            )
        if ends_all:
            self.end_agreement(
                "terminated",
                day,
                act,
                f"uppsägning från {self.a.name_of(ev.get('by'))}",
                f"notice from {self.a.name_of(ev.get('by'))}",
                cause="notice",
            )
            return
        self.party_until[ev.get("by")] = min(self.party_until.get(ev.get("by"), day), day)
        if self.ledger is not None:
            self.ledger.party_ended(ev.get("by"), self.party_until[ev.get("by")], "notice")
        self.ruled("party_withdrawn", day, act, effective=day, party=ev.get("by"), cause="notice")

    # -- rule handlers: auto renewal ----------------------------------------------------------------
    def on_renewal_period_end_opted_out(self, act: Activation) -> None:
        end = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        notice = self.events.get(int(act.facts["o"]["pos"]))
        by = self.a.name_of(notice.get("by")) if notice else ""
        self.end_agreement(
            "terminated",
            end,
            act,
            f"uppsagt av {by} senast fristen",
            f"notice given by {by} before the deadline",
        )

    def on_renewal_period_end_unfunded(self, act: Activation) -> None:
        self._unfunded(act)

    def on_extension_period_end_unfunded(self, act: Activation) -> None:
        self._unfunded(act)

    def _unfunded(self, act: Activation) -> None:
        end = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        year = act.facts["f"]["year"]
        self.end_agreement(
            "expired",
            end,
            act,
            f"villkoret om medel är inte uppfyllt för {year}",
            f"the condition that funds exist fails for {year}",
        )

    def on_renewal_period_end_renew(self, act: Activation) -> None:
        self.next_period(act, "renewal")

    def on_term_period_end_final(self, act: Activation) -> None:
        end = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        if end >= self.a.cap and self.a.continuation.kind != "fixed":
            reason = ("längsta tillåtna avtalstid är nådd", "the longest allowed term is reached")
        else:
            reason = ("avtalstidens utgång, utan föregående uppsägning", "end of term, without notice")
        self.end_agreement("expired", end, act, *reason)

    # -- rule handlers: opt-in extension -------------------------------------------------------------
    def _intent(self, act: Activation) -> tuple[Event, Mapping[str, Scalar]]:
        return self.event_of(act, "i"), act.facts["p"]

    def on_extension_intent_in_time(self, act: Activation) -> None:
        extend = bool(self.event_of(act, "i").get("extend"))
        self._record_intent(
            act,
            "intent_received",
            intent_sv="att den avser att" if extend else "att den inte avser att",
            intent_en="intends" if extend else "does not intend",
        )

    def on_extension_intent_late(self, act: Activation) -> None:
        self._record_intent(act, "intent_late")

    def _record_intent(self, act: Activation, code: str, **data: Any) -> None:
        """Keep a party's intent for its period (in time or late, it is what the party said)."""
        ev, p = self._intent(act)
        self.intents.setdefault(int(p["n"]), {})[ev.get("by")] = bool(ev.get("extend"))
        self.ruled(
            code,
            ev.date,
            act,
            party=ev.get("by"),
            extend=ev.get("extend"),
            deadline=dt.date.fromordinal(int(p["deadline"])).isoformat(),
            **data,
        )

    def on_extension_intent_at_cap(self, act: Activation) -> None:
        ev, _ = self._intent(act)
        self._refused_at_cap(act, ev)

    def on_extension_decided_at_cap(self, act: Activation) -> None:
        self._refused_at_cap(act, self.event_of(act, "d"))

    def _refused_at_cap(self, act: Activation, ev: Event) -> None:
        cap = self.a.cap.isoformat()
        self.ruled(
            "extension_refused",
            ev.date,
            act,
            party=ev.get("by"),
            reason_sv=f"partnerskapet kan inte förlängas längre än till {cap}",
            reason_en=f"the partnership cannot be extended beyond {cap}",
        )

    def on_extension_decided(self, act: Activation) -> None:
        ev = self.event_of(act, "d")
        self.assert_fact({"t": "ext_granted", "n": int(act.facts["p"]["n"]), "day": _day(ev)})
        decided_by = self.a.continuation.decided_by
        if decided_by is not None and not decided_by.regulated:
            self.unregulated(
                ev.date, decided_by, (act.rule,), "The agreement does not say who decides an extension."
            )

    def on_extension_refused(self, act: Activation) -> None:
        ev = self.event_of(act, "d")
        self.assert_fact({"t": "ext_refused", "n": int(act.facts["p"]["n"]), "day": _day(ev)})
        self.ruled(
            "extension_refused",
            ev.date,
            act,
            party=ev.get("by"),
            reason_sv="beslut om att inte förlänga",
            reason_en="a decision not to extend",
        )

    def on_extension_intent_deadline(self, act: Activation) -> None:
        n = int(act.facts["p"]["n"])
        day = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        given = self.intents.get(n, {})
        for party in self.a.parties:
            leaving = party.id in self.leaving or self.party_until.get(party.id, dt.date.max) <= day
            if party.id not in given and not leaving:
                self.ruled("intent_missing", day, act, party=party.id, deadline=day.isoformat())

    def on_extension_period_end_refused(self, act: Activation) -> None:
        end = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        self.end_agreement("expired", end, act, "beslut om att inte förlänga", "a decision not to extend")

    def on_extension_period_end_extend(self, act: Activation) -> None:
        n = int(act.facts["p"]["n"])
        end = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        for party_id, extend in self.intents.get(n, {}).items():
            if not extend and self.party_until.get(party_id, dt.date.max) > end:
                self.party_until[party_id] = end
                if self.ledger is not None:
                    self.ledger.party_ended(party_id, end, "declined_extension")
                self.ruled(
                    "party_withdrawn", end, act, effective=end, party=party_id, cause="declined_extension"
                )
                self.ambiguity(
                    end,
                    self.rules.cites[act.rule],
                    (act.rule,),
                    f"{self.a.name_of(party_id)} meddelade att den inte avser att förlänga. Texten säger "
                    "inte om det hindrar förlängningen för alla; motorn låter övriga parter fortsätta.",
                    f"{self.a.name_of(party_id)} said it does not intend to extend. The text does not say "
                    "whether that blocks the extension for everyone; the engine lets the others go on.",
                    party=party_id,
                )
        self.next_period(act, "extension")

    def on_extension_period_end_not_decided(self, act: Activation) -> None:
        end = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        self.end_agreement("expired", end, act, "ingen förlängning är beslutad", "no extension was decided")

    # -- rule handlers: review ----------------------------------------------------------------------
    def on_review_missing_at_due(self, act: Activation) -> None:
        self.ruled("review_due", dt.date.fromordinal(int(act.facts["tm"]["day"])), act)

    def on_review_late(self, act: Activation) -> None:
        ev = self.event_of(act, "r")
        due = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        self.ruled("review_late", ev.date, act, deadline=due.isoformat())

    def on_review_not_agreed(self, act: Activation) -> None:
        ev = self.event_of(act, "r")
        assert isinstance(self.a.review, Review)
        ends = _value(self.a.review.if_not_agreed_ends)
        self.ruled("review_failed", ev.date, act, effective=ends)
        self.assert_fact({"t": "review_failed", "pos": ev.position, "day": _day(ev)})

    def on_review_not_agreed_after_end(self, act: Activation) -> None:
        ev = self.event_of(act, "r")
        self.ambiguity(
            ev.date,
            self.rules.cites[act.rule],
            (act.rule,),
            "Parterna är inte överens om ersättningen, men först efter de två åren som "
            "avtalet knyter upphörandet till; texten säger inte vad som då gäller.",
            "The parties disagree on compensation only after the two years the clause "
            "ties the ending to; the text does not say what follows.",
        )

    def on_review_term_ends(self, act: Activation) -> None:
        day = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        self.end_agreement(
            "terminated",
            day,
            act,
            "parterna är inte överens om ersättningen",
            "the parties did not agree on compensation",
        )

    def on_review_none_recorded(self, act: Activation) -> None:
        day = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        self.ambiguity(
            day,
            self.rules.cites[act.rule],
            (act.rule,),
            "Ingen utvärdering är registrerad före utgången av de två åren. Texten säger "
            "inte vad som gäller då; motorn låter avtalet löpa vidare.",
            "No review is recorded by the end of the two years. The text does not say "
            "what follows; the engine lets the agreement run on.",
        )

    # -- rule handlers: changes ---------------------------------------------------------------------
    def _change(self, act: Activation, alias: str) -> tuple[Event, _ChangeState | None]:
        """The event and its change; None (after saying so) when the proposal lay outside the
        term, so the engine never tracked the change."""
        ev = self.event_of(act, alias)
        state = self.changes.get(ev.get("change"))
        if state is None:
            self.finding(
                "unregulated",
                ev.date,
                (),
                (act.rule,),
                change=ev.get("change"),
                text_sv=f"Ändring {ev.get('change')} föreslogs utanför avtalstiden; motorn följer den inte, "
                f"och händelsen {ev.type} prövas inte.",
                text_en=f"Change {ev.get('change')} was proposed outside the term; the engine does not "
                f"track it, and the event {ev.type} is not assessed.",
            )
        return ev, state

    def on_change_proposed(self, act: Activation) -> None:
        ev = self.event_of(act, "c")
        answer = approvals(self.a, Change(ev.get("affects"), ev.get("substantial"), ev.get("party")))
        signatories = {p.id for p in self.a.parties if self.party_until.get(p.id, dt.date.max) >= ev.date}
        state = _ChangeState(answer, ev, signatories)
        change_id = ev.get("change")
        self.changes[change_id] = state
        self.finding(
            "approval_required",
            ev.date,
            state.cites,
            (act.rule, "authority.approvals"),
            party=ev.get("party"),
            change=change_id,
            summary_sv=answer.message.sv,
            summary_en=answer.message.en,
            approvals=[a.to_dict() | {"cite": None} for a in answer.approvals],
            form=[f.requirement for f in answer.form if f.regulated],
        )
        for note in answer.notes:
            if note.code in ("change_outside_revision", "unregulated", "source_conflict"):
                code = note.code
                self.finding(
                    code,
                    ev.date,
                    note.cites,
                    (act.rule, "authority.approvals"),
                    change=change_id,
                    **_note_texts(code, note.message.sv, note.message.en),
                )
        for approval in answer.approvals:
            self.assert_fact(
                {"t": "req_approval", "change": change_id, "body": approval.body, "satisfies": approval.body}
            )
            if approval.delegated_by:
                # The delegating nämnd keeps the power to decide the matter itself.
                self.assert_fact(
                    {
                        "t": "req_approval",
                        "change": change_id,
                        "body": approval.delegated_by,
                        "satisfies": approval.body,
                    }
                )
        for party in sorted(state.signatories):
            self.assert_fact({"t": "req_signature", "change": change_id, "party": party})
        if state.registration or state.registration_owed:
            self.assert_fact({"t": "req_registration", "change": change_id})

    def on_change_approved(self, act: Activation) -> None:
        ev, state = self._change(act, "d")
        if state is None:
            return
        satisfied = str(act.facts["r"]["satisfies"])
        self._note_order(ev, state, satisfied, act)
        state.approved.add(satisfied)
        self._report_delegation(ev, state, act)
        self._check_adopted(ev, state, act)

    def _note_order(self, ev: Event, state: _ChangeState, body: str, act: Activation) -> None:
        """An approval given before a body listed ahead of it has decided. The documents require
        both ("förutom i styrgruppen även godkännas av förvaltningen") without stating the order
        in so many words, so the engine counts both approvals whatever their order, and says so."""
        this = next(a for a in state.answer.approvals if a.body == body)
        pending = [a for a in state.answer.approvals if a.order < this.order and a.body not in state.approved]
        if not pending:
            return
        before = " och ".join(body_name(self.a, a.body) for a in pending)
        self.ambiguity(
            ev.date,
            this.cites,
            (act.rule,),
            f"{body_name(self.a, body)} godkände ändring {ev.get('change')} innan {before} beslutat. "
            "Dokumenten kräver båda besluten men anger inte ordningen uttryckligen; motorn räknar "
            "båda, oavsett ordning, och låter den andra läsningen (godkännandet gäller ett redan "
            "fattat beslut och måste tas om) stå öppen.",
            f"{body} approved change {ev.get('change')} before {', '.join(a.body for a in pending)} "
            "decided. The documents require both decisions without stating their order in so many "
            "words; the engine counts both whatever their order (the other reading: the approval "
            "concerns a decision already taken and must be given again).",
            change=ev.get("change"),
            body=body,
        )

    def on_change_rejected(self, act: Activation) -> None:
        ev, state = self._change(act, "d")
        if state is None:
            return
        state.rejected = True
        self.finding(
            "change_rejected",
            ev.date,
            state.cites,
            (act.rule,),
            change=ev.get("change"),
            body=body_name(self.a, ev.get("by")),
        )
        self._report_delegation(ev, state, act)

    def _report_delegation(self, ev: Event, state: _ChangeState, act: Activation) -> None:
        """A decision taken by delegation, approving or rejecting, is reported to the nämnd."""
        approval = next((a for a in state.answer.approvals if a.body == ev.get("by")), None)
        if approval is None or approval.delegated_by is None:
            return
        self.finding(
            "delegation_report_required",
            ev.date,
            (*approval.cites, KL_DELEGATION_REPORT),
            (act.rule,),
            change=ev.get("change"),
            body=body_name(self.a, approval.body),
            delegated_by=body_name(self.a, approval.delegated_by),
        )

    def on_change_decided_without_mandate(self, act: Activation) -> None:
        ev, state = self._change(act, "d")
        if state is None:
            return
        unknown = self.a.revision.unknown_mandate(ev.get("by")) if self.a.revision else None
        if unknown is not None:
            self.finding(
                "unregulated",
                ev.date,
                unknown.cites,
                (act.rule,),
                change=ev.get("change"),
                text_sv=f"{body_name(self.a, ev.get('by'))} beslutade om ändring {ev.get('change')}. "
                f"{unknown.unregulated.note}",
                text_en=f"{ev.get('by')} decided change {ev.get('change')}, but its mandate is set in a "
                "document that is not among the sources.",
            )
            return
        if not state.required_bodies:
            self.finding(
                "unregulated",
                ev.date,
                state.cites,
                (act.rule,),
                change=ev.get("change"),
                text_sv=f"{ev.get('by')} beslutade om ändring {ev.get('change')}, men dokumenten "
                "anger inte vem som beslutar om den.",
                text_en=f"{ev.get('by')} decided change {ev.get('change')}, but the documents do "
                "not say who decides it.",
            )
            return
        mandated = " och ".join(body_name(self.a, b) for b in sorted(state.required_bodies))
        self.finding(
            "change_unauthorised",
            ev.date,
            state.cites,
            (act.rule,),
            change=ev.get("change"),
            body=ev.get("by"),
            reason="no_mandate",
            reason_sv=f"{body_name(self.a, ev.get('by'))} har inte mandat att besluta om ändringen; "
            f"det har {mandated}",
            reason_en=f"{ev.get('by')} has no mandate to decide it; {mandated} has",
        )

    def on_change_signed(self, act: Activation) -> None:
        ev, state = self._change(act, "s")
        if state is None:
            return
        state.signed.add(ev.get("by"))
        self._check_adopted(ev, state, act)

    def on_change_registered(self, act: Activation) -> None:
        ev, state = self._change(act, "g")
        if state is None:
            return
        state.registered = True
        self._check_adopted(ev, state, act)

    def on_change_implemented_before_adoption(self, act: Activation) -> None:
        ev, state = self._change(act, "m")
        if state is None:
            return
        if not state.requires_anything:
            self.finding(
                "unregulated",
                ev.date,
                tuple(c for n in state.answer.notes for c in n.cites),
                (act.rule,),
                change=ev.get("change"),
                text_sv=f"Ändring {ev.get('change')} genomfördes, men dokumenten anger varken vem som "
                "beslutar om den eller i vilken form; om den hade stöd kan inte prövas.",
                text_en=f"Change {ev.get('change')} was implemented, but the documents say neither who "
                "decides it nor in what form; whether it had authority cannot be assessed.",
            )
            return
        missing = state.missing()
        self.finding(
            "change_unauthorised",
            ev.date,
            state.cites,
            (act.rule,),
            change=ev.get("change"),
            reason="implemented_before_adoption",
            missing=missing,
            reason_sv="genomförd innan den antagits; saknas: " + ", ".join(missing),
            reason_en="implemented before adoption; missing: " + ", ".join(missing),
        )

    def _check_adopted(self, ev: Event, state: _ChangeState, act: Activation) -> None:
        """A change is valid once it meets the conditions of validity, and adopted once it also
        meets the duties that follow (registration in SOF 2025/144: "ska registreras", but only
        writing and signatures are required "för att vara giltiga")."""
        if state.rejected or state.adopted or not state.requires_anything:
            return
        change = ev.get("change")
        if not state.valid and not state.missing(for_validity=True):
            state.valid = True
            self.assert_fact({"t": "valid", "change": change})
            if state.missing():
                self.finding(
                    "change_valid",
                    ev.date,
                    state.cites,
                    (act.rule,),
                    change=change,
                    effective=ev.date,
                    missing=state.missing(),
                    missing_text=", ".join(state.missing()),
                )
        if state.valid and not state.missing():
            state.adopted = True
            self.finding(
                "change_adopted", ev.date, state.cites, (act.rule,), change=change, effective=ev.date
            )

    # -- rule handlers: funding ----------------------------------------------------------------------
    def on_funding_unavailable(self, act: Activation) -> None:
        ev = self.event_of(act, "f")
        self.ruled("condition_failed", ev.date, act, year=ev.get("year"))
        self.unfunded_years.add(int(ev.get("year")))
        self.assert_fact({"t": "no_funds", "year": int(ev.get("year")), "day": _day(ev)})
        self.ambiguity(
            ev.date,
            self.rules.cites[act.rule],
            (act.rule,),
            "Avtalet är villkorat av att medel finns men säger inte hur och när det då "
            "upphör; motorn låter en pågående period löpa ut och inleder ingen ny.",
            "The agreement is conditional on funds but does not say how or when it then "
            "ends; the engine lets a running period run out and starts no new one.",
        )

    def on_funding_available(self, act: Activation) -> None:
        ev = self.event_of(act, "f")
        year = int(ev.get("year"))
        if year not in self.unfunded_years:
            return
        self.ambiguity(
            ev.date,
            self.rules.cites[act.rule],
            (act.rule,),
            f"Medel för {year} beslutas finnas efter ett tidigare beslut att de saknas. Texten säger inte "
            "om ett villkor som inte uppfyllts kan bli uppfyllt igen; motorn behåller det första beslutet.",
            f"Funds for {year} are decided available after an earlier decision that they were not. The "
            "text does not say whether a failed condition can be met again; the engine keeps the first "
            "decision.",
            year=year,
        )

    def on_funding_not_a_condition(self, act: Activation) -> None:
        ev = self.event_of(act, "f")
        self.finding(
            "unregulated",
            ev.date,
            (),
            (act.rule,),
            text_sv="Avtalstiden är inte villkorad av att medel finns; beslutet påverkar inte avtalstiden.",
            text_en="The term is not conditional on funds; the decision does not change it.",
        )

    # -- rule handlers: money --------------------------------------------------------------------------
    def _money(self) -> tuple[Ledger, Money]:
        assert self.ledger is not None and self.a.money is not None
        return self.ledger, self.a.money

    def on_money_instalment_due(self, act: Activation) -> None:
        ledger, _ = self._money()
        ledger.instalment_due(int(act.facts["tm"]["ref"]), lambda year: year in self.unfunded_years)

    def on_money_payment(self, act: Activation) -> None:
        ledger, _ = self._money()
        ev = self.event_of(act, "y")
        ends = [d for d in (self.end, self.party_until.get(ev.get("to"))) if d is not None]
        ledger.payment(ev, act.rule, min(ends) if ends else None)

    def on_money_report_due(self, act: Activation) -> None:
        _, m = self._money()
        year = int(act.facts["tm"]["n"])
        day = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        for party in m.payees:
            if self.party_until.get(party, dt.date.max) >= dt.date(year, 1, 1):
                self.ruled("report_due", day, act, party=party, year=year, report=_value(m.report))

    def on_money_misuse(self, act: Activation) -> None:
        ledger, _ = self._money()
        ledger.misuse(self.event_of(act, "u"), act.rule)

    def on_rescission(self, act: Activation) -> None:
        ledger, m = self._money()
        ev = self.event_of(act, "h")
        assert m.rescission is not None
        against, by = ev.get("against"), ev.get("by")
        gone = [p for p in (against, by) if self.party_until.get(p, dt.date.max) < ev.date]
        if gone:
            # 5.8 lets a party rescind because another "inte fullföljer sina åtaganden": a party
            # that has left has no commitments in the partnership left to fail or to rescind.
            left = ", ".join(f"{self.a.name_of(p)} ({self.party_until[p]})" for p in gone)
            self.finding(
                "unregulated",
                ev.date,
                cites_of(m.rescission.ground),
                (act.rule,),
                party=against,
                text_sv=f"Hävningen gäller en part som redan lämnat partnerskapet: {left}. Dokumenten "
                "säger inte vad en hävning då innebär; motorn avslutar inget och gör inget krav på "
                "återbetalning enligt hävningsklausulen.",
                text_en=f"The rescission concerns a party that has already left: {left}. The documents "
                "do not say what a rescission then does; the engine ends nothing and makes no repayment "
                "claim under the rescission clause.",
            )
            return
        ends = m.rescission.ends
        if ends.ambiguity is not None:
            self.ambiguity(
                ev.date,
                ends.ambiguity.cites,
                (act.rule,),
                ends.ambiguity.note,
                f"The engine reads the rescission as ending the {ends.value}; the other reading is "
                f"'{ends.ambiguity.other_reading}'.",
                party=against,
            )
        ledger.party_ended(against, ev.date, "rescission")
        ledger.rescission(ev, act.rule)
        reason_sv = f"hävning av {self.a.name_of(by)} mot {self.a.name_of(against)}"
        reason_en = f"rescission by {self.a.name_of(by)} against {self.a.name_of(against)}"
        if ends.value == "agreement":
            self.end_agreement("terminated", ev.date, act, reason_sv, reason_en)
            return
        self.party_until[against] = min(self.party_until.get(against, ev.date), ev.date)
        self.ruled("party_withdrawn", ev.date, act, effective=ev.date, party=against, cause="rescission")

    def on_circumstances_changed(self, act: Activation) -> None:
        _, m = self._money()
        assert m.changed_circumstances is not None
        ev = self.event_of(act, "c")
        self.ruled(
            "circumstances_dialogue",
            ev.date,
            act,
            body=definite(body_name(self.a, _value(m.changed_circumstances.dialogue_in))),
        )

    def on_deficiency_found(self, act: Activation) -> None:
        self._deficiency_step(act, "b", "deficiency_dialogue", lambda d: d.dialogue_in)

    def _deficiency_step(
        self, act: Activation, alias: str, code: str, body_of: Callable[[Deficiency], Fact[str]]
    ) -> None:
        """A step of 5.5's procedure for a party; `body_of` names the body the next step is for."""
        _, m = self._money()
        assert m.deficiency is not None
        ev = self.event_of(act, alias)
        body = definite(body_name(self.a, _value(body_of(m.deficiency))))
        self.ruled(code, ev.date, act, party=ev.get("party"), body=body)

    def on_deficiency_plan_requested(self, act: Activation) -> None:
        self._decided_by_body(act, "r", "action_plan_requested")

    def on_deficiency_plan_requested_without_mandate(self, act: Activation) -> None:
        self._without_mandate(act, "r", "begära en åtgärdsplan", "request an action plan")

    def on_deficiency_plan_failed(self, act: Activation) -> None:
        self._deficiency_step(act, "f", "expulsion_possible", lambda d: d.expel_by)

    def on_expulsion_after_failed_plan(self, act: Activation) -> None:
        ledger, m = self._money()
        assert m.deficiency is not None
        ev = self.event_of(act, "x")
        party = ev.get("party")
        if party in self.expelled or self.party_until.get(party, dt.date.max) < ev.date:
            return
        self.expelled.add(party)
        months = m.deficiency.expulsion_notice_months
        effective = min(add_months(ev.date, _value(months)), self.a.cap)
        if months.ambiguity is not None:
            self.ambiguity(
                ev.date,
                months.ambiguity.cites,
                (act.rule,),
                months.ambiguity.note,
                f"The engine lets the expulsion take effect after {months.value} months' notice; the "
                "other reading is that it takes effect at once.",
                party=party,
            )
        self.party_until[party] = min(self.party_until.get(party, effective), effective)
        ledger.party_ended(party, effective, "expulsion")
        self.ruled(
            "party_expelled",
            ev.date,
            act,
            effective=effective,
            party=party,
            body=definite(body_name(self.a, ev.get("by"))),
        )

    def on_expulsion_without_failed_plan(self, act: Activation) -> None:
        self._decided_by_body(act, "x", "expulsion_unfounded")

    def _decided_by_body(self, act: Activation, alias: str, code: str) -> None:
        """A finding about a body's decision (its `by`) concerning a party."""
        ev = self.event_of(act, alias)
        self.ruled(code, ev.date, act, party=ev.get("party"), body=definite(body_name(self.a, ev.get("by"))))

    def on_expulsion_without_mandate(self, act: Activation) -> None:
        self._without_mandate(act, "x", "utesluta en aktör", "expel a party")

    def _without_mandate(self, act: Activation, alias: str, action_sv: str, action_en: str) -> None:
        _, m = self._money()
        assert m.deficiency is not None
        ev = self.event_of(act, alias)
        mandated = m.deficiency.plan_by if alias == "r" else m.deficiency.expel_by
        self.ruled(
            "action_without_mandate",
            ev.date,
            act,
            party=ev.get("party"),
            body=definite(body_name(self.a, ev.get("by"))),
            mandated=definite(body_name(self.a, _value(mandated))),
            action_sv=action_sv,
            action_en=action_en,
        )

    # -- answer ---------------------------------------------------------------------------------------
    def answer(self, until: dt.date | None) -> Answer:
        def seen(day: dt.date) -> bool:
            return until is None or day <= until

        parties = tuple(PartyStatus(p.id, self.party_until.get(p.id, self.end)) for p in self.a.parties)
        return Answer(
            agreement=self.a.id,
            periods=tuple(p for p in self.periods if seen(p.start)),
            end=self.end,
            parties=parties,
            deadlines=tuple(sorted(self.deadlines, key=lambda d: (d.date, d.kind))),
            findings=tuple(f for f in sorted(self.findings, key=lambda f: f.date) if seen(f.date)),
            as_of=until,
            rules_hash=self.a.content_hash,
            engine_version=__version__,
            money=self.ledger.summary(until) if self.ledger else (),
        )


def _value(fact: Fact[Any] | None) -> Any:
    if fact is None or fact.value is None:
        raise ValueError("a required rule value is missing")
    return fact.value


def _ordinal(fact: Fact[dt.date]) -> int:
    return int(_value(fact).toordinal())


def _fact_order(activation: Activation) -> tuple[int, ...]:
    return tuple(int(activation.facts[alias]["id"]) for alias in sorted(activation.facts))


def _day(event: Event) -> int:
    return event.date.toordinal()


def _note_texts(code: str, sv: str, en: str) -> dict[str, Any]:
    """Template fields for finding codes whose message is a free text."""
    if code == "change_outside_revision":
        return {"reason_sv": sv, "reason_en": en}
    if code == "source_conflict":
        return {"about": "beslutsrätt", "values": sv, "chosen": "", "because": en}
    return {"text_sv": sv, "text_en": en}


def _note(fact: Fact[Any]) -> str:
    if fact.unregulated is not None:
        return fact.unregulated.note
    return fact.note or ""


# Money is paid and misuse found whether or not the agreement still runs: these events are
# evaluated before its start and after its end too.
MONEY_AFTER_THE_FACT = frozenset({"payment_made", "misuse_found"})
UNKNOWN_AS_TWO = frozenset({"written", "due_care", "disproportionate"})


def _event_fact(event: Event, agreement: Agreement) -> dict[str, Scalar]:
    fact: dict[str, Scalar] = {"t": "ev_" + event.type, "pos": event.position, "day": event.date.toordinal()}
    for name, value in event.fields.items():
        if isinstance(value, tuple):
            fact[name] = ",".join(value)
        elif isinstance(value, bool):
            fact[name] = int(value)
        elif value is None:
            fact[name] = 2 if name in UNKNOWN_AS_TWO else ""
        elif isinstance(value, Span):
            fact[name + "_from"], fact[name + "_to"] = value.first.toordinal(), value.last.toordinal()
        elif isinstance(value, Decimal):
            fact[name] = str(value)
        else:
            fact[name] = value
    by = event.get("by")
    party = agreement.party(by) if isinstance(by, str) else None
    fact["public"] = int(bool(party and party.is_public))
    return fact
