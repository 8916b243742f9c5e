"""Termination by notice with a notice period: when a notice takes effect, and what it ends.

Rules (only where the rule file regulates a notice period):
- `notice.period_starts`: an accepted notice within a period starts the notice period (for a
  notice on the ground of changed circumstances, that clause's period, where it has one);
- `notice.takes_effect`: when the period has run, the notice ends the whole agreement (scope
  `agreement`, a notice from the public party where the rule file says the public party's
  leaving ends it, or changed circumstances) or only the notifying party's part.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import fact, ref, timer, within
from iop_engine.dates import add_months
from iop_engine.events import NoticeGiven
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, Fact, cites_of
from iop_engine.phrases import phrase, phrases
from iop_engine.replay.facts import day_of
from iop_engine.vocabulary.governance import ChangedCircumstances
from iop_engine.vocabulary.term import AutoRenewal, OptInExtension


class Notice(Clause):
    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        # Under automatic renewal a notice without a notice period is the renewal clause's.
        known = agreement.termination.period_months.value is not None
        return known or not isinstance(agreement.continuation, AutoRenewal)

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        t = agreement.termination
        if t.period_months.value is None:
            yield spec(
                Rule(
                    "notice.period_unknown",
                    (("p", fact("period")), ("a", fact("notice_ok", *within("p", "start", "end")))),
                ),
                cls.on_period_unknown,
                t.period_months,
            )
            return
        yield spec(
            Rule(
                "notice.period_starts",
                (("p", fact("period")), ("a", fact("notice_ok", *within("p", "start", "end")))),
            ),
            cls.on_period_starts,
            t.period_months,
            t.scope,
            t.to,
            t.written,
        )
        yield spec(
            Rule(
                "notice.takes_effect",
                (("tm", timer("notice_effective")), ("a", fact("notice_ok", ref("pos", "tm", "ref")))),
            ),
            cls.on_takes_effect,
            t.period_months,
            t.scope,
            t.public_party_ends_agreement,
        )

    def on_period_unknown(self, act: Activation) -> None:
        """A notice under an agreement whose notice period the documents leave open: when it
        takes effect, and so the agreement's course after it, cannot be computed."""
        ev = self.event(act, "a", NoticeGiven)
        self.run.undetermined(
            ev.date, self.a.termination.period_months, (act.rule,), "termination.period_months"
        )

    def on_period_starts(self, act: Activation) -> None:
        ev = self.event(act, "a", NoticeGiven)
        t = self.a.termination
        changed = self._changed_circumstances(ev, act)
        terms = self.a.on(ev.date)  # a notice runs on the terms of the day it was given
        period = changed.keep_months if changed else terms.termination.period_months
        if period.value is None:
            self.run.undetermined(ev.date, period, (act.rule,), "changed_circumstances.keep_months")
            return
        months = period.value
        counted = t.counted_from
        if counted is not None and counted.reading is not None and not changed:
            self.run.log.reading(ev.date, (), (act.rule,), counted.reading, "", party=ev.by)
        effective = add_months(self._counted_from(ev), months)
        cap = terms.cap
        ends = min(effective, cap) if cap is not None else effective
        basis = ["notice_received.months"] + (["notice_received.changed_circumstances"] if changed else [])
        basis += ["notice_received.next_month"] if self._from_next_month else []
        periods = self.run.life.periods
        period_end = (periods[-1].end if periods else None) or ends
        if cap is not None and effective > cap:
            basis.append("notice_received.cap_first")
        elif effective > period_end and isinstance(self.a.continuation, OptInExtension):
            basis.append("notice_received.period_first")  # not yet extended: it may end first
        self.cut_by_cap_of_its_day(act, ev.date, cap, effective, ev.by, "ambiguity.cap_at_notice")
        # Known now, though it takes effect later: nothing is owed for after it (an intent to extend).
        if self._ends_agreement(ev):
            self.run.life.will_leave(ends, *(p.id for p in self.a.parties))
        elif t.scope.value == "own_commitment":
            self.run.life.will_leave(ends, ev.by)
        words = phrases("basis", basis, None, months=months, cap=str(cap), period_end=period_end.isoformat())
        self.ruled(
            "notice_received",
            ev.date,
            act,
            effective=ends,
            party=ev.by,
            position=ev.position,
            notice_period_ends=effective.isoformat(),
            **words,
        )
        if changed is not None:
            from iop_engine.clauses.circumstances import Circumstances  # noqa: PLC0415 - circular

            circumstances = self.run.clause(Circumstances)
            assert circumstances is not None
            circumstances.notice_given(ev, act.rule)
            circumstances.keep_compensation(ev.date, ends, act.rule)
            self.run.clock.schedule(effective, "notice_effective", ref=ev.position)
            return
        scope = t.scope
        if scope.reading is not None and ev.scope != scope.value:
            self.run.log.reading(
                ev.date, (), (act.rule,), scope.reading, "", {"scope": ev.scope}, party=ev.by
            )
        party = self.a.party(ev.by)
        if t.scope.value == "own_commitment" and party is not None and not party.is_public:
            self.run.party_ends(party.id, ends, "notice")  # known now: nothing is owed after it
        self.run.clock.schedule(effective, "notice_effective", ref=ev.position)

    @property
    def _from_next_month(self) -> bool:
        counted = self.a.termination.counted_from
        return counted is not None and counted.value == "next_month"

    def _counted_from(self, ev: NoticeGiven) -> dt.date:
        """The day the notice period runs from: the day the notice was received, or the first day
        of the next month where the rule file says so."""
        if not self._from_next_month:
            return ev.date
        return add_months(ev.date.replace(day=1), 1)

    def _changed_circumstances(self, ev: NoticeGiven, act: Activation) -> ChangedCircumstances | None:
        """The clause on termination for changed circumstances, if the notice invokes it and the
        agreement has one; where it has none, say so and treat the notice as an ordinary one."""
        if ev.ground != "changed_circumstances":
            return None
        changed = self.a.changed_circumstances
        if changed is None:
            words = phrase("text", "unregulated.no_changed_circumstances")
            self.run.log.add("unregulated", ev.date, (), (act.rule,), party=ev.by, **words)
        return changed

    def _public_party_ends(self, ev: NoticeGiven) -> Fact[bool] | None:
        """The rule file's reading that a public party's leaving ends the whole agreement, where it
        applies to this notice."""
        party = self.a.party(ev.by)
        public_ends = self.a.termination.public_party_ends_agreement
        if party is None or not party.is_public or public_ends is None or not public_ends.value:
            return None
        return public_ends

    def _ends_agreement(self, ev: NoticeGiven) -> bool:
        """Whether the notice ends the whole agreement, not only its giver's part: one for
        changed circumstances, one under a clause ending the agreement, or a public party's where
        the rule file reads its leaving as ending it."""
        if ev.ground == "changed_circumstances" and self.a.changed_circumstances is not None:
            return True
        return self.a.termination.scope.value == "agreement" or self._public_party_ends(ev) is not None

    def on_takes_effect(self, act: Activation) -> None:
        ev = self.event(act, "a", NoticeGiven)
        t = self.a.termination
        day = day_of(act, "tm")
        changed = self.a.changed_circumstances
        if ev.ground == "changed_circumstances" and changed is not None:
            self.run.end_agreement(
                "terminated",
                day,
                act,
                cites=cites_of(changed.keep_months),
                cause="changed_circumstances",
                **phrase("reason", "terminated.changed_circumstances"),
            )
            return
        public_ends = self._public_party_ends(ev)
        if public_ends is not None:
            cites = cites_of(public_ends, readings=False)
            fallback = "ambiguity.public_party_ends"
            self.run.log.reading(day, cites, (act.rule,), public_ends.reading, fallback, party=ev.by)
        ends_all = self._ends_agreement(ev)
        if t.scope.value is None and not ends_all:
            self.run.party_ends(ev.by, day, "notice")  # its own part ends on either reading
            self.run.undetermined(day, t.scope, (act.rule,), "termination.scope")
            return
        if ends_all:
            reason = phrase("reason", "terminated.notice", by=self.a.name_of(ev.by))
            self.run.end_agreement("terminated", day, act, cause="notice", **reason)
            return
        if not self.run.life.still_in(ev.by, day):
            return  # its part ended earlier another way (a declined extension, an expulsion)
        self.run.party_ends(ev.by, day, "notice")
        self.ruled(
            "party_withdrawn",
            day,
            act,
            effective=day,
            party=ev.by,
            cause="notice",
            template="party_withdrawn.notice",
        )
