"""The parties' own recurring duties: reports and other commitments with a deadline after each
period they cover (SOF 2026/268 4: "Frälsningsarmén ska årligen redovisa det ekonomiska utfallet
för verksamhetsåret"; "efter avslutat verksamhetsår").

Each duty's periods are the calendar parts of the agreement's life (`every`: year, half year,
tertial, quarter, month). A period's duty falls due on its deadline (a day of the year, months or
days after the period; moved by the roll policy), which is listed among the answer's deadlines;
where the documents give no last day, the finding falls on the period's last day and says so.
When the agreement ends inside a period, the duty for that last, partial period falls due too.
Duties outlive the agreement: a report for its last year is due after it has ended.

Rule `duty.due`: the timer of one duty's period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import timer
from iop_engine.dates import add_months
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, cites_of
from iop_engine.money import Span, calendar_parts
from iop_engine.schedules import PER_YEAR
from iop_engine.vocabulary.governance import DaysAfterPeriod, Duty, MonthsAfter
from iop_engine.vocabulary.money import OnDay

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run

PER_YEAR_OF_DUTY = {"year": 1, "half_year": 2, "tertial": 3, "quarter": 4, "month": 12}
assert set(PER_YEAR_OF_DUTY.values()) <= set(PER_YEAR.values())


@attrs.frozen
class Owed:
    """One duty for one period."""

    duty: Duty
    covers: Span
    deadline: dt.date | None  # None: the documents give no last day
    partial: bool = False  # the last period, cut short by the agreement's end


class Duties(Clause):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.owed: list[Owed] = []

    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return bool(agreement.duties)

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        facts = [d.what for d in agreement.duties] + [d.deadline for d in agreement.duties]
        # The rule keeps its name from when reports were part of the money clauses.
        yield spec(Rule("money.report_due", (("tm", timer("report")),)), cls.on_due, *facts)

    def start(self) -> None:
        life = Span(self.a.term_start, self.run.horizon)
        for duty in self.a.duties:
            for part in calendar_parts(life, PER_YEAR_OF_DUTY[duty.every]):
                self._owe(duty, part)

    def _owe(self, duty: Duty, covers: Span, partial: bool = False) -> None:
        deadline = self._deadline(duty, covers.last)
        self.owed.append(Owed(duty, covers, deadline, partial))
        day = deadline or covers.last
        self.run.clock.schedule(
            day, "report", n=covers.first.year, ref=len(self.owed) - 1, outlives=bool(deadline)
        )

    def _deadline(self, duty: Duty, period_end: dt.date) -> dt.date | None:
        rule = duty.deadline.value
        if rule is None:
            return None
        if isinstance(rule, OnDay):
            month, day = map(int, rule.day.split("-"))
            nominal = dt.date(period_end.year, month, day)
            nominal = nominal if nominal > period_end else dt.date(period_end.year + 1, month, day)
        elif isinstance(rule, MonthsAfter):
            nominal = add_months(period_end, rule.months_after)
        else:
            assert isinstance(rule, DaysAfterPeriod)
            nominal = period_end + dt.timedelta(days=rule.days_after_period)
        return self.run.add_deadline(0, duty.kind, nominal, duty.deadline)

    def agreement_ends(self, effective: dt.date) -> None:
        for duty in self.a.duties:
            year = Span(dt.date(effective.year, 1, 1), dt.date(effective.year, 12, 31))
            parts = calendar_parts(year, PER_YEAR_OF_DUTY[duty.every])
            containing = next(p for p in parts if p.first <= effective <= p.last)
            if effective != min(containing.last, self.run.horizon):
                self._owe(duty, Span(max(containing.first, self.a.term_start), effective), partial=True)

    def on_due(self, act: Activation) -> None:
        owed = self.owed[int(act.facts["tm"]["ref"])]
        end = self.run.life.end
        if not owed.partial and end is not None and owed.covers.last > end:
            return  # the agreement ended inside this period: its partial period's duty stands instead
        duty, day = owed.duty, dt.date.fromordinal(int(act.facts["tm"]["day"]))
        parties = self.a.payees if duty.party == "each_payee" else (duty.party,)
        cites = cites_of(duty.what, duty.deadline)
        code = "report_due" if duty.kind == "report" else "commitment_due"
        variant = "" if owed.deadline else ".no_deadline"
        data: dict[str, Any] = {"year": owed.covers.first.year, "report": duty.what.value}
        if duty.every != "year" or owed.deadline:
            data |= {
                "period": owed.covers.to_dict(),
                "deadline": owed.deadline.isoformat() if owed.deadline else None,
            }
        for party in parties:
            if self.run.life.still_in(party, owed.covers.first):
                self.run.log.add(code, day, cites, (act.rule,), party=party, template=code + variant, **data)
