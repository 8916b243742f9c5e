"""Extension by decision: a period is extended only if it is decided, within a cap, and the
parties say by a deadline whether they intend to extend (SOF 2025/144 5.1: "kan förlängas med
ett år i taget dock längst till den 30 april 2028. Senast sex månader innan partnerskapets
utgång ska parterna meddela om de avser att förlänga överenskommelsen").

Rules:
- intents: in time (`extension.intent_in_time`), late (`extension.intent_late`), or in the last
  possible period (`extension.intent_at_cap`, refused), or received unjudged where the rule file
  gives no deadline (`extension.intent_without_deadline`); at the intent deadline
  (`extension.intent_deadline`), every party still in that has said nothing gets `intent_missing`;
- decisions: `extension.decided` (marker `ext_granted`), `extension.refused` (marker
  `ext_refused`, in any period, the last included), or a grant in the last period
  (`extension.decided_at_cap`, refused at the cap);
- at the period's end the latest decision before it counts: `extension.period_end.refused`,
  `extension.period_end.unfunded`, `extension.period_end.condition_unmet`,
  `extension.period_end.extend`, or `extension.period_end.not_decided` (no grant at all). A party
  that said it does not intend to extend leaves when the others are extended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from iop_engine.authority import body_fields
from iop_engine.clauses.base import RuleSpec, deadline_day, spec
from iop_engine.clauses.conditions import funding_facts
from iop_engine.clauses.continuation import Continuation, blocked_end, unmet_condition
from iop_engine.clauses.partnership import Partnership, lost_side, sector_cites
from iop_engine.clauses.patterns import eq, fact, marker, ref, timer, within
from iop_engine.events import ExtensionDecided, ExtensionIntent
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, Fact, cites_of
from iop_engine.phrases import joined, phrase
from iop_engine.replay.facts import PeriodFact, day_of
from iop_engine.vocabulary.term import OptInExtension

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run


def _rule(agreement: Agreement) -> OptInExtension:
    assert isinstance(agreement.continuation, OptInExtension)
    return agreement.continuation


class Extension(Continuation):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.intents: dict[int, dict[str, bool]] = {}  # period -> party -> intends to extend
        self.late: dict[int, set[str]] = {}  # period -> parties whose intent came after the deadline

    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return isinstance(agreement.continuation, OptInExtension)

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        c = _rule(agreement)
        open_p = ("p", fact("period", eq("last", 0)))
        with_deadline = ("p", fact("period", eq("last", 0), {"$gt": {"deadline": 0}}))
        last_p = ("p", fact("period", eq("last", 1)))
        # A decision not to extend is the nämnd's answer in any period, the last one included
        # (where nothing could be granted): it is recorded, not passed over in silence.
        any_p = ("p", fact("period"))
        intent, decided = "ev_extension_intent", "ev_extension_decided"
        late = (ref("day", "p", "deadline", "$gt"), ref("day", "p", "end", "$lte"))
        in_period = within("p", "start", "end")
        yield spec(
            Rule(
                "extension.intent_in_time", (open_p, ("i", fact(intent, *within("p", "start", "deadline"))))
            ),
            cls.on_intent_in_time,
            c.intent_deadline,
        )
        yield spec(
            Rule("extension.intent_late", (with_deadline, ("i", fact(intent, *late)))),
            cls.on_intent_late,
            c.intent_deadline,
        )
        if c.intent_deadline.value is None:
            without = ("p", fact("period", eq("last", 0), eq("deadline", 0)))
            yield spec(
                Rule("extension.intent_without_deadline", (without, ("i", fact(intent, *in_period)))),
                cls.on_intent_without_deadline,
                c.intent_deadline,
            )
        yield spec(
            Rule("extension.intent_at_cap", (last_p, ("i", fact(intent, eq("extend", 1), *in_period)))),
            cls.on_intent_at_cap,
            c.cap,
        )
        yield spec(
            Rule("extension.decided", (open_p, ("d", fact(decided, eq("extend", 1), *in_period)))),
            cls.on_decided,
            c.step_months,
            c.decided_by,
        )
        yield spec(
            Rule("extension.refused", (any_p, ("d", fact(decided, eq("extend", 0), *in_period)))),
            cls.on_refused,
            c.step_months,
            c.decided_by,
        )
        yield spec(
            Rule("extension.decided_at_cap", (last_p, ("d", fact(decided, eq("extend", 1), *in_period)))),
            cls.on_decided_at_cap,
            c.cap,
        )
        yield spec(
            Rule(
                "extension.intent_deadline",
                (("tm", timer("intent_deadline")), ("p", fact("period", ref("n", "tm", "n")))),
            ),
            cls.on_intent_deadline,
            c.intent_deadline,
        )
        yield from cls._period_end(agreement)

    @classmethod
    def _period_end(cls, agreement: Agreement) -> Iterator[RuleSpec]:
        c = _rule(agreement)
        tm = ("tm", timer("period_end"))
        open_period = ("p", fact("period", ref("n", "tm", "n"), eq("last", 0)))
        granted = ("g", marker("ext_granted", ref("n", "tm", "n")))
        no_funds = marker("no_funds", ref("year", "p", "next_year"))
        # The latest decision before the period ends counts: a later grant undoes a refusal and
        # a later refusal undoes a grant.
        granted_later = marker("ext_granted", ref("n", "tm", "n"), ref("day", "r", "day", "$gt"))
        refused_later = marker("ext_refused", ref("n", "tm", "n"), ref("day", "g", "day", "$gt"))
        yield spec(
            Rule(
                "extension.period_end.refused",
                (tm, open_period, ("r", marker("ext_refused", ref("n", "tm", "n")))),
                absent=(granted_later,),
            ),
            cls.on_period_end_refused,
            c.step_months,
            c.decided_by,
        )
        yield spec(
            Rule("extension.period_end.unfunded", (tm, open_period, granted, ("f", no_funds))),
            cls.on_unfunded,
            *funding_facts(agreement),
        )
        yield from blocked_end(cls, agreement, "extension", tm, open_period)
        yield spec(
            Rule(
                "extension.period_end.extend",
                (tm, open_period, granted),
                absent=(refused_later, no_funds, unmet_condition()),
            ),
            cls.on_period_end_extend,
            c.step_months,
            c.cap,
        )
        yield spec(
            Rule(
                "extension.period_end.not_decided",
                (tm, open_period),
                absent=(marker("ext_granted", ref("n", "tm", "n")),),
            ),
            cls.on_period_end_not_decided,
            c.step_months,
            c.decided_by,
        )

    def open_period(self, n: int, start: dt.date, end: dt.date) -> dt.date | None:
        rule = _rule(self.a).intent_deadline
        if rule.value is None:
            self.run.log.unregulated(start, rule, ("extension.intent_deadline",))
            return None
        day, count = deadline_day(rule.value, end)
        deadline = self.run.add_deadline(n, "extension_intent", day, rule)
        self.count_back(n, count, rule, "extension.intent_deadline", start)
        self.run.clock.schedule(deadline, "intent_deadline", n)
        return deadline

    # -- intents ---------------------------------------------------------------------------------
    def on_intent_in_time(self, act: Activation) -> None:
        extend = self.event(act, "i", ExtensionIntent).extend
        self._record_intent(
            act,
            "intent_received",
            **phrase("intent", "intent_received.extend" if extend else "intent_received.not_extend"),
        )

    def on_intent_late(self, act: Activation) -> None:
        self._record_intent(act, "intent_late")

    def on_intent_without_deadline(self, act: Activation) -> None:
        extend = self.event(act, "i", ExtensionIntent).extend
        key = "intent_received.extend" if extend else "intent_received.not_extend"
        self._record_intent(
            act, "intent_received", template="intent_received.no_deadline", **phrase("intent", key)
        )

    def _record_intent(self, act: Activation, code: str, **data: Any) -> None:
        """Keep a party's intent for its period (in time or late, it is what the party said)."""
        ev, p = self.event(act, "i", ExtensionIntent), PeriodFact.matched(act)
        self.intents.setdefault(p.n, {})[ev.by] = ev.extend
        if code == "intent_late":
            self.late.setdefault(p.n, set()).add(ev.by)
        deadline = p.deadline.isoformat() if p.deadline else None
        self.ruled(code, ev.date, act, party=ev.by, extend=ev.extend, deadline=deadline, **data)
        if code == "intent_late" and p.deadline is not None:
            self.late_readings(p.n, ev.date, p.deadline, act, party=ev.by)

    def on_intent_at_cap(self, act: Activation) -> None:
        ev = self.event(act, "i", ExtensionIntent)
        self._refused_at_cap(act, ev.date, ev.by)

    def on_intent_deadline(self, act: Activation) -> None:
        """Every party that will still take part when the period ends, and has said nothing, is
        missing an intent: one not yet admitted, gone, or known to leave by then (its notice, an
        expulsion, a notice that ends the whole agreement) has nothing to extend, and where no
        public or no idea-based party will be left, nobody has."""
        p, day = PeriodFact.matched(act), day_of(act, "tm")
        given = self.intents.get(p.n, {})
        life = self.run.life
        staying = [x.id for x in self.a.parties if p.end is None or not life.leaves_by(x.id, p.end)]
        if lost_side(self.a, staying) is not None:
            return  # no public or no idea-based party will be left: the partnership cannot go on
        for party in self.a.parties:
            if party.id in staying and party.id not in given and life.still_in(party.id, day):
                self.ruled("intent_missing", day, act, party=party.id, deadline=day.isoformat())

    # -- decisions -------------------------------------------------------------------------------
    def on_decided(self, act: Activation) -> None:
        ev = self.event(act, "d", ExtensionDecided)
        if self._without_mandate(act, ev):
            return
        period = PeriodFact.matched(act)
        self.run.assert_fact({"t": "ext_granted", "n": period.n, "day": ev.date.toordinal()})
        period_end = period.end.isoformat() if period.end else ""
        self.ruled("extension_granted", ev.date, act, party=ev.by, period_end=period_end)
        decided_by = _rule(self.a).decided_by
        if decided_by is not None and not decided_by.regulated:
            self.run.log.unregulated(ev.date, decided_by, (act.rule,))

    def on_refused(self, act: Activation) -> None:
        ev = self.event(act, "d", ExtensionDecided)
        if self._without_mandate(act, ev):
            return
        self.run.assert_fact({"t": "ext_refused", "n": PeriodFact.matched(act).n, "day": ev.date.toordinal()})
        self.ruled(
            "extension_refused", ev.date, act, party=ev.by, **phrase("reason", "extension_refused.decision")
        )

    def _without_mandate(self, act: Activation, ev: ExtensionDecided) -> bool:
        """A decision by another body than the one the documents name has no effect (said so)."""
        decided_by = _rule(self.a).decided_by
        mandated = decided_by.value if decided_by is not None else None
        if ev.by is None or mandated is None or ev.by == mandated:
            return False
        action = "action_without_mandate.extend" if ev.extend else "action_without_mandate.refuse_extension"
        self.ruled(
            "action_without_mandate",
            ev.date,
            act,
            **body_fields(self.a, ev.by),
            **body_fields(self.a, mandated, "mandated"),
            template="action_without_mandate.agreement",
            **phrase("action", action),
        )
        return True

    def on_decided_at_cap(self, act: Activation) -> None:
        ev = self.event(act, "d", ExtensionDecided)
        self._refused_at_cap(act, ev.date, ev.by)

    def _refused_at_cap(self, act: Activation, date: dt.date, by: str | None) -> None:
        reason = phrase("reason", "extension_refused.cap", cap=str(self.a.cap))
        self.ruled("extension_refused", date, act, party=by, **reason)

    # -- the period's end ------------------------------------------------------------------------
    def on_period_end_refused(self, act: Activation) -> None:
        reason = phrase("reason", "expired.refused")
        self.run.end_agreement("expired", day_of(act, "tm"), act, **reason)

    def on_period_end_extend(self, act: Activation) -> None:
        n, end = PeriodFact.matched(act).n, day_of(act, "tm")
        rule = _rule(self.a)
        silent = rule.silent_party
        silent_leave = silent is not None and silent.value == "leaves"
        # Where silence means leaving, only an answer given by the deadline is an answer.
        said = self._in_time(n) if silent_leave else dict(self.intents.get(n, {}))
        staying = [p.id for p in self.a.parties if self.run.life.still_in(p.id, end + dt.timedelta(days=1))]
        declined = [p for p, extend in said.items() if not extend and p in staying]
        for party_id in declined:
            self._leaves(act, party_id, end, "declined_extension")
            self._reading(act, end, party_id, rule.declined_party, "ambiguity.declined_extension")
        undecided = [p for p in staying if p not in said and self.run.life.party_until(p) is None]
        for party_id in undecided:
            if silent_leave:
                self._leaves(act, party_id, end, "silent_party")
            self._reading(act, end, party_id, silent, "ambiguity.silent_party")
        partnership = self.run.clause(Partnership)
        side = partnership.lost_after(end) if partnership else None
        if side is not None:
            on_side = {p.id for p in self.a.parties if p.sector.value == side}
            declined_here = [p for p in declined if p in on_side]
            silent_here = [p for p in undecided if p in on_side] if silent_leave else []
            leaving = [p.id for p in self.a.parties if p.id in {*declined_here, *silent_here}]
            if not leaving:
                # The side leaves this day another way (notice, expulsion), not by declining:
                # the partnership's own rule ends the agreement on that day, for that cause.
                return
            names = [(name, name) for name in map(self.a.name_of, leaving)]
            variant = ".silent" if silent_here else ""
            reason = phrase("reason", f"expired.no_{side}_party{variant}", **joined("party", names, "and"))
            # The ending rests on what made that side leave (the clause on declining, the one on
            # silence) and on the clauses saying who is on which side.
            why = cites_of(rule.declined_party if declined_here else None, silent if silent_here else None)
            cites = (*self.run.cites(act.rule), *why, *sector_cites(self.a))
            self.run.end_agreement("expired", end, act, cites, cause="declined_extension", **reason)
            return
        self.run.next_period(act, "extension", decided=day_of(act, "g"))

    def _leaves(self, act: Activation, party_id: str, end: dt.date, why: str) -> None:
        """A party that does not go on into the extension leaves on the period's last day."""
        self.run.party_ends(party_id, end, "declined_extension")
        self.ruled(
            "party_withdrawn",
            end,
            act,
            effective=end,
            party=party_id,
            cause="declined_extension",
            template=f"party_withdrawn.{why}",
        )

    def _reading(
        self, act: Activation, end: dt.date, party_id: str, slot: Fact[Any] | None, fallback: str
    ) -> None:
        """What the party's intent (or its silence) means, where the text leaves it open: the rule
        file's reading, or the engine's words where the file says nothing (no finding where the
        text is explicit and the file reads nothing into it)."""
        cites = self.run.cites(act.rule)
        fields = {"party": self.a.name_of(party_id)}
        self.run.log.open_reading(end, cites, (act.rule,), slot, fallback, fields, party=party_id)

    def on_period_end_not_decided(self, act: Activation) -> None:
        n, end = PeriodFact.matched(act).n, day_of(act, "tm")
        decided_by = _rule(self.a).decided_by
        if decided_by is not None and not decided_by.regulated and self._all_intend_in_time(n, end):
            # Every party wants to go on and nothing is decided: the gap is who decides, which the
            # documents do not say, not the parties' will (a bare "expired" would hide that).
            self.run.log.unregulated(end, decided_by, (act.rule,), value="continuation.decided_by")
        reason = phrase("reason", "expired.not_decided")
        self.run.end_agreement("expired", end, act, **reason)

    def _in_time(self, n: int) -> dict[str, bool]:
        """The intents for period `n` given by its deadline, by party."""
        late = self.late.get(n, set())
        return {p: extend for p, extend in self.intents.get(n, {}).items() if p not in late}

    def _all_intend_in_time(self, n: int, day: dt.date) -> bool:
        """Whether every party still taking part on `day` said in time it intends to extend."""
        said = self._in_time(n)
        present = [p.id for p in self.a.parties if self.run.life.still_in(p.id, day)]
        return bool(present) and all(said.get(p) is True for p in present)
