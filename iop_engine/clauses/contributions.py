"""The idea-based parties' own contributions (medfinansiering): each year a party contributes a
fixed amount, or a share of a payment stream's annual amount, by a day of the year (or by the
year's end), for as long as its part runs.

Rule `contribution.due`: the day of one year's contribution.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import timer
from iop_engine.dates import day_of_year
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, cites_of
from iop_engine.money import ORE, Span, calendar_parts, percent, texts
from iop_engine.phrases import stated, words
from iop_engine.schedules import annual_for
from iop_engine.vocabulary.money import Contribution

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run


@attrs.frozen
class Yearly:
    contribution: Contribution
    covers: Span


class Contributions(Clause):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.years: list[Yearly] = []

    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return bool(agreement.contributions)

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        facts = [f for c in agreement.contributions for f in (c.what, c.amount, c.share, c.due)]
        yield spec(Rule("contribution.due", (("tm", timer("contribution")),)), cls.on_due, *facts)

    def start(self) -> None:
        for contribution in self.a.contributions:
            for year in calendar_parts(Span(self.a.term_start, self.run.horizon), 1):
                self.years.append(Yearly(contribution, year))
                self.run.clock.schedule(
                    self._day(contribution, year), "contribution", ref=len(self.years) - 1
                )

    def _day(self, contribution: Contribution, year: Span) -> dt.date:
        rule = contribution.due.value if contribution.due else None
        if rule is None:
            return year.last
        nominal = day_of_year(year.first.year, rule.day)
        # A first year that starts after its day of the year: by the end of that year instead.
        return nominal if nominal >= year.first else year.last

    def on_due(self, act: Activation) -> None:
        owed = self.years[int(act.facts["tm"]["ref"])]
        c, year = owed.contribution, owed.covers.first.year
        if not self.run.life.still_in(c.party, owed.covers.first):
            return
        day = dt.date.fromordinal(int(act.facts["tm"]["day"]))
        amount, how = self._amount(c, year)
        cites = cites_of(c.what, c.amount, c.share, c.due)
        fields: dict[str, Any] = {
            "year": year,
            "what": c.what.value,
            "amount": str(amount) if amount is not None else None,
        }
        what = stated(c.what.value, "duty.what_open")
        say: dict[str, Any] = {
            **(texts("amount", amount) if amount is not None else {}),
            "what_sv": what[0],
            "what_en": what[1],
            "how_sv": how[0],
            "how_en": how[1],
        }
        template = "contribution_due" if amount is not None else "contribution_due.unknown_amount"
        self.run.log.add(
            "contribution_due", day, cites, (act.rule,), party=c.party, template=template, **fields, **say
        )

    def _amount(self, c: Contribution, year: int) -> tuple[Decimal | None, tuple[str, str]]:
        if c.amount is not None:
            return c.amount.value, words("contribution_due.fixed")
        stream = next(p for p in self.a.payments if p.id == c.share_of)
        share = c.share.value if c.share else None
        base = stream.annual_amount.value if stream.annual_amount else None
        if share is None or base is None:
            return None, words("contribution_due.unknown")
        indices = {index.id: index.values for index in self.a.indices}
        annual = annual_for(base, stream.adjustments, indices, year)
        if annual.amount is None:
            index, missing = annual.missing or ("", year)
            name = next((i.name for i in self.a.indices if i.id == index), index)
            return None, words("unregulated.index_missing", index=name, year=missing, for_year=year)
        amount = (annual.amount * share).quantize(ORE)
        return amount, words(
            "contribution_due.share",
            share_sv=percent(share)[0],
            share_en=percent(share)[1],
            **texts("annual", annual.amount),
            annual=annual.amount,
        )
