"""The parties' own recurring duties: reports and other commitments with a deadline after each
period they cover (SOF 2026/268 4: "Frälsningsarmén ska årligen redovisa det ekonomiska utfallet
för verksamhetsåret"; "efter avslutat verksamhetsår").

Each duty's periods are the calendar parts of the agreement's life (`every`: year, half year,
tertial, quarter, month). A period's duty falls due on its deadline (a day of the year, months or
days after the period; moved by the roll policy), which is listed among the answer's deadlines;
where the documents give no last day, a report's finding falls on the day after the period (a
commitment's on its last day) and says so.
When a party's part (or the whole agreement) ends inside a period, the party owes the duty for
its days in that period instead of the whole period's. Duties outlive the agreement: a report
for its last year is due after it has ended.

Rules: `duty.due`, the timer of one duty's period; `money.report_due`, the same for a duty
tied to a payment (an account of how the money was used).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import timer
from iop_engine.dates import add_months, day_of_year
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, Deadline, cites_of
from iop_engine.money import Span, calendar_parts
from iop_engine.phrases import stated
from iop_engine.schedules import PER_YEAR
from iop_engine.vocabulary.governance import DaysAfterPeriod, Duty, FirstOfDays, MonthsAfter
from iop_engine.vocabulary.money import OnDay

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run
    from iop_engine.replay.lifecycle import EndCause

PER_YEAR_OF_DUTY = {"year": 1, "half_year": 2, "tertial": 3, "quarter": 4, "month": 12}
assert set(PER_YEAR_OF_DUTY.values()) <= set(PER_YEAR.values())


@attrs.frozen
class Owed:
    """One duty for one period: for every party it binds (`parties` None), or for the parties
    whose part ended inside the period, for their days in it."""

    duty: Duty
    covers: Span
    deadline: dt.date | None  # None: the documents give no last day
    listed: Deadline | None  # the deadline as listed in the answer
    parties: tuple[str, ...] | None = None


def _day_after(day: dt.date, month_day: str) -> dt.date:
    """The first `month_day` (MM-DD) after `day`: this year's, or next year's."""
    this_year = day_of_year(day.year, month_day)
    return this_year if this_year > day else day_of_year(day.year + 1, month_day)


class Duties(Clause):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.owed: list[Owed] = []
        self.cut: dict[tuple[str, Span], int] = {}  # (duty, covers) -> its cut period in `owed`

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
            if duty.deadline.reading is not None:
                # Said once, where the rule file reads a last day into the text ("sammanträde i augusti").
                cites = cites_of(duty.what, duty.deadline, readings=False)
                self.run.log.reading(
                    self.a.term_start, cites, ("money.report_due",), duty.deadline.reading, ""
                )
            for part in calendar_parts(life, PER_YEAR_OF_DUTY[duty.every], duty.first_month):
                # A period over before an amendment applies keeps the duty as it was then.
                then = next((d for d in self.a.on(part.last).duties if d.id == duty.id), duty)
                self._owe(Owed(then, part, *self._deadline(then, part.last, part.last)))

    def _owe(self, owed: Owed) -> None:
        self.owed.append(owed)
        # Without a last day a report is owed once its period is over ("efter avslutat
        # verksamhetsår"): its finding falls on the day after, not on the period's last day, which
        # would read as a deadline the documents do not give. A commitment is done within its period.
        after = dt.timedelta(days=1 if owed.duty.kind == "report" else 0)
        day = owed.deadline or owed.covers.last + after
        self.run.clock.schedule(
            day, "report", n=owed.covers.first.year, ref=len(self.owed) - 1, outlives=True
        )

    def _deadline(
        self, duty: Duty, last: dt.date, part_end: dt.date
    ) -> tuple[dt.date | None, Deadline | None]:
        """The last day for the duty of a period ending on `last`, inside the calendar part
        ending on `part_end`: a day of the year follows the part (a report for 2027 is due
        "året efter"), a count of months or days runs from the period's own last day."""
        rule = duty.deadline.value
        if rule is None:
            return None, None
        if isinstance(rule, OnDay | FirstOfDays):
            days = rule.first_of if isinstance(rule, FirstOfDays) else (rule.day,)
            nominal = min(_day_after(part_end, day) for day in days)
        elif isinstance(rule, MonthsAfter):
            nominal = add_months(last, rule.months_after)
        else:
            assert isinstance(rule, DaysAfterPeriod)
            nominal = last + dt.timedelta(days=rule.days_after_period)
        due = self.run.add_deadline(0, duty.kind, nominal, duty.deadline)
        return due, self.run.deadlines[-1]

    def _bound(self, duty: Duty) -> tuple[str, ...]:
        return self.a.payees if duty.party == "each_payee" else (duty.party,)

    def party_leaves(self, party: str, last_day: dt.date, cause: EndCause) -> None:
        """A party whose part ends inside a period owes the duty for its days in that period
        (SOF 2026/268 4: the year's report covers the part of the year the agreement ran)."""
        for duty in self.a.duties:
            if party in self._bound(duty):
                self._cut(duty, party, last_day)

    def agreement_ends(self, effective: dt.date) -> None:
        """A body's duty (a samverkansgrupp's report) is owed for the days up to the end; the
        deadlines of periods that begin after the end are not deadlines any more."""
        for duty in self.a.duties:
            if self.a.body(duty.party) is not None:
                self._cut(duty, duty.party, effective)
        gone = [o.listed for o in self.owed if o.listed is not None and o.covers.first > effective]
        self.run.deadlines[:] = [d for d in self.run.deadlines if not any(d is g for g in gone)]

    def _cut(self, duty: Duty, who: str, last_day: dt.date) -> None:
        """`who` owes `duty` for its days in the period `last_day` falls in, where it ends inside."""
        if last_day < self.a.term_start:
            return
        year = Span(dt.date(last_day.year - 1, 1, 1), dt.date(last_day.year, 12, 31))
        parts = calendar_parts(year, PER_YEAR_OF_DUTY[duty.every], duty.first_month)
        containing = next(p for p in parts if p.first <= last_day <= p.last)
        if last_day == min(containing.last, self.run.horizon):
            return  # the part ends with the period: the whole period's duty stands
        joined = self.run.life.joined.get(who)  # an admitted party owes for its days from joining
        covers = Span(max(containing.first, self.a.term_start, joined or self.a.term_start), last_day)
        known = self.cut.get((duty.id, covers))
        if known is not None:
            owed = self.owed[known]
            self.owed[known] = attrs.evolve(owed, parties=(*(owed.parties or ()), who))
            return
        self.cut[(duty.id, covers)] = len(self.owed)
        self._owe(Owed(duty, covers, *self._deadline(duty, last_day, containing.last), (who,)))

    def on_due(self, act: Activation) -> None:
        owed = self.owed[int(act.facts["tm"]["ref"])]
        duty, day = owed.duty, dt.date.fromordinal(int(act.facts["tm"]["day"]))
        cites = cites_of(duty.what, duty.deadline)
        code = "report_due" if duty.kind == "report" else "commitment_due"
        whole_years = duty.every == "year" and duty.first_month == 1
        variant = "" if owed.deadline else ".no_deadline" if whole_years else ".no_deadline_period"
        shown = stated(duty.what.value, "duty.what_open")
        data: dict[str, Any] = {"year": owed.covers.first.year, "report": duty.what.value}
        if not whole_years or owed.deadline:
            data |= {
                "period": owed.covers.to_dict(),
                "deadline": owed.deadline.isoformat() if owed.deadline else None,
            }
        for party in owed.parties or self._bound(duty):
            if not self.run.life.still_in(party, owed.covers.last) and party in self.run.life.joined:
                continue  # an admitted party owes nothing for a period over before it joined
            until = self.run.life.party_until(party) or self.run.life.end
            # A whole period binds a party in it to its end; one that left inside it owes the
            # duty for its cut period instead, one that left before it owes nothing.
            if owed.parties is None and until is not None and until < owed.covers.last:
                continue
            self.run.log.add(
                code,
                day,
                cites,
                (act.rule,),
                party=party,
                template=code + variant,
                report_sv=shown[0],
                report_en=shown[1],
                **data,
            )
