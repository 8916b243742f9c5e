"""Automatic renewal: each period renews unless a party gives notice by the period's deadline
(SOF 2026/268: "förlängs automatiskt med ett år i taget … om inte överenskommelsen sägs upp av
endera parten senast den 30 september respektive år"), up to a cap or without one.

Rules:
- `renewal.notice_in_time`: an accepted notice from the period's start to its deadline opts out
  (`opt_out` marker for the period);
- `renewal.notice_late`: after the deadline, the period renews all the same; where the rule file
  says a late notice counts against the next deadline (`late_notice: next_deadline`), it opts
  out of the next period instead;
- `renewal.notice_without_deadline`: the rule file gives no deadline, so whether a notice is in
  time cannot be judged; the period's end is then undetermined;
- `renewal.notice_in_last_period`: where the notice clause gives no notice period, a notice in
  the last possible period changes nothing (with one, that clause takes it);
- at a period's end: `renewal.period_end.opted_out` ends the agreement,
  `renewal.period_end.unfunded` and `renewal.period_end.condition_unmet` let it expire,
  `renewal.period_end.undetermined` stops the answer there, `renewal.period_end.renew` starts the
  next period (none of those markers present).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from iop_engine.clauses.base import RuleSpec, deadline_day, spec
from iop_engine.clauses.conditions import funding_facts
from iop_engine.clauses.continuation import Continuation, blocked_end, unmet_condition
from iop_engine.clauses.patterns import eq, fact, marker, ref, timer, within
from iop_engine.events import NoticeGiven
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, cites_of
from iop_engine.phrases import phrase
from iop_engine.replay.facts import PeriodFact, day_of
from iop_engine.vocabulary.term import AutoRenewal


def _rule(agreement: Agreement) -> AutoRenewal:
    assert isinstance(agreement.continuation, AutoRenewal)
    return agreement.continuation


class Renewal(Continuation):
    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return isinstance(agreement.continuation, AutoRenewal)

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        c = _rule(agreement)
        open_p = ("p", fact("period", eq("last", 0)))
        with_deadline = ("p", fact("period", eq("last", 0), {"$gt": {"deadline": 0}}))
        yield spec(
            Rule(
                "renewal.notice_in_time",
                (open_p, ("a", fact("notice_ok", *within("p", "start", "deadline")))),
            ),
            cls.on_notice_in_time,
            c.opt_out_deadline,
        )
        late = fact("notice_ok", ref("day", "p", "deadline", "$gt"), ref("day", "p", "end", "$lte"))
        yield spec(
            Rule("renewal.notice_late", (with_deadline, ("a", late))),
            cls.on_notice_late,
            c.opt_out_deadline,
            c.late_notice,
        )
        if agreement.termination.period_months.value is None:
            # With a notice period the notice clause takes a notice in the last period.
            yield spec(
                Rule(
                    "renewal.notice_in_last_period",
                    (
                        ("p", fact("period", eq("last", 1))),
                        ("a", fact("notice_ok", *within("p", "start", "end"))),
                    ),
                ),
                cls.on_notice_in_last_period,
                c.cap,
                agreement.termination.period_months,
            )
        if c.opt_out_deadline.value is None:
            without = ("p", fact("period", eq("last", 0), eq("deadline", 0)))
            yield spec(
                Rule(
                    "renewal.notice_without_deadline",
                    (without, ("a", fact("notice_ok", *within("p", "start", "end")))),
                ),
                cls.on_notice_without_deadline,
                # Without a deadline the notice rests on the right to give one and on the period
                # it ends with, besides what the rule file says of the missing deadline.
                agreement.termination.by,
                c.step_months,
                c.opt_out_deadline,
            )
        yield from cls._period_end(agreement)

    @classmethod
    def _period_end(cls, agreement: Agreement) -> Iterator[RuleSpec]:
        c = _rule(agreement)
        tm = ("tm", timer("period_end"))
        open_period = ("p", fact("period", ref("n", "tm", "n"), eq("last", 0)))
        opted_out = marker("opt_out", ref("n", "tm", "n"))
        no_funds = marker("no_funds", ref("year", "p", "next_year"))
        unknown = marker("opt_out_unknown", ref("n", "tm", "n"))
        yield spec(
            Rule("renewal.period_end.opted_out", (tm, ("o", opted_out))), cls.on_opted_out, c.opt_out_deadline
        )
        yield spec(
            Rule("renewal.period_end.unfunded", (tm, open_period, ("f", no_funds))),
            cls.on_unfunded,
            *funding_facts(agreement),
        )
        yield from blocked_end(cls, agreement, "renewal", tm, open_period)
        if c.opt_out_deadline.value is None:
            # Its finding is the open deadline's own (`Run.undetermined`), citing what that cites.
            undetermined = Rule("renewal.period_end.undetermined", (tm, open_period, ("o", unknown)))
            yield spec(undetermined, cls.on_undetermined)
        yield spec(
            Rule(
                "renewal.period_end.renew",
                (tm, open_period),
                absent=(opted_out, no_funds, unmet_condition(), unknown),
            ),
            cls.on_renew,
            c.step_months,
            c.cap,
            c.opt_out_deadline,
        )

    def open_period(self, n: int, start: dt.date, end: dt.date) -> dt.date | None:
        rule = _rule(self.a).opt_out_deadline
        if rule.value is None:
            return None
        day, count = deadline_day(rule.value, end)
        self.count_back(n, count, rule, "renewal.notice_in_time", start)
        return self.run.add_deadline(n, "opt_out_notice", day, rule)

    # -- handlers ------------------------------------------------------------------------------
    def on_notice_in_time(self, act: Activation) -> None:
        p = PeriodFact.matched(act)
        assert p.deadline is not None
        ev = self._notice_ends_period(act, "renewal.in_time", deadline=p.deadline.isoformat())
        self._two_routes(act, ev)
        self.run.assert_fact({"t": "opt_out", "n": p.n, "pos": ev.position, "day": ev.date.toordinal()})

    def _two_routes(self, act: Activation, ev: NoticeGiven) -> None:
        """Where the agreement gives a notice period as well as the renewal's deadline, the notice
        clause also takes the notice: the text does not say how the two relate, and the engine
        lets the notice act both ways, the earlier end counting."""
        months = self.a.termination.period_months
        if months.value is None:
            return
        cites = cites_of(_rule(self.a).opt_out_deadline, months, readings=False)
        fields = {"months": months.value}
        self.run.log.reading(
            ev.date, cites, (act.rule,), None, "ambiguity.renewal_and_notice_period", fields, party=ev.by
        )

    def _notice_ends_period(self, act: Activation, basis: str, **data: Any) -> NoticeGiven:
        """`notice_received`, effective at the end of the matched period; the notice event."""
        ev = self.event(act, "a", NoticeGiven)
        self.ruled(
            "notice_received",
            ev.date,
            act,
            effective=PeriodFact.matched(act).end,
            party=ev.by,
            position=ev.position,
            **phrase("basis", basis),
            **data,
        )
        return ev

    def on_notice_late(self, act: Activation) -> None:
        p, ev = PeriodFact.matched(act), self.event(act, "a", NoticeGiven)
        assert p.deadline is not None and p.end is not None  # a renewing period has both
        next_start = p.end + dt.timedelta(days=1)
        self.ruled(
            "notice_late",
            ev.date,
            act,
            party=ev.by,
            position=ev.position,
            deadline=p.deadline.isoformat(),
            next_start=next_start.isoformat(),
        )
        self.late_readings(p.n, ev.date, p.deadline, act, party=ev.by)
        self._two_routes(act, ev)
        late = _rule(self.a).late_notice
        counts = late is not None and late.value == "next_deadline"
        terms = self.a.on(ev.date)  # what the late notice can still reach, as on its day
        cap = terms.cap
        next_end = self.period_end_after(next_start, terms)
        if cap is not None and next_end is not None and min(next_end, cap) >= cap:
            # The next period is the last one: it ends at the cap whatever the notice says, unless
            # an amendment applying later moves the cap. A notice that counts against the next
            # deadline then still keeps the partnership from running past the cap of its day.
            if not counts or self.a.cap == cap:
                return
            key = "ambiguity.late_notice_cap_moved"
            self.cap_moved(act, ev.date, cap, ev.by, key, next_start=next_start.isoformat())
        if late is None or late.reading is not None or not late.regulated:
            self.run.log.reading(
                ev.date,
                self.run.cites(act.rule),
                (act.rule,),
                late.reading if late else None,
                "ambiguity.late_notice" if counts else "ambiguity.late_notice_no_effect",
                {"next_start": next_start.isoformat()},
                party=ev.by,
            )
        if counts:
            self.run.assert_fact(
                {"t": "opt_out", "n": p.n + 1, "pos": ev.position, "day": ev.date.toordinal()}
            )

    def on_notice_without_deadline(self, act: Activation) -> None:
        p = PeriodFact.matched(act)
        ev = self._notice_ends_period(act, "renewal.deadline_unknown")
        self.run.log.unregulated(ev.date, _rule(self.a).opt_out_deadline, (act.rule,), party=ev.by)
        self.run.assert_fact({"t": "opt_out_unknown", "n": p.n, "day": ev.date.toordinal()})

    def on_undetermined(self, act: Activation) -> None:
        trace = (act.rule,)
        self.run.undetermined(
            day_of(act, "tm"), _rule(self.a).opt_out_deadline, trace, "continuation.opt_out_deadline"
        )

    def on_notice_in_last_period(self, act: Activation) -> None:
        ev = self._notice_ends_period(act, "renewal.last_period")
        self.run.log.unregulated(ev.date, self.a.termination.period_months, (act.rule,))

    def on_opted_out(self, act: Activation) -> None:
        notice = self.run.event_at(int(act.facts["o"]["pos"]))
        by = self.a.name_of(notice.get("by"))
        reason = phrase("reason", "terminated.opted_out", by=by)
        self.run.end_agreement("terminated", day_of(act, "tm"), act, cause="notice", **reason)

    def on_renew(self, act: Activation) -> None:
        self.run.next_period(act, "renewal")
