"""Reporting duties: each payee accounts for every year it took part in (SOF 2026/268 4:
"Frälsningsarmén ska årligen redovisa det ekonomiska utfallet för verksamhetsåret"), and for the
last, partial year when the agreement ends early. The documents give no last day, and the
finding says so.

Rule `money.report_due`: the year-end (or end-of-agreement) timer of a reporting year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import timer
from iop_engine.clauses.payments import money_of
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement
from iop_engine.replay.facts import day_of, int_of


class Duties(Clause):
    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return agreement.money is not None and agreement.money.report is not None

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        yield spec(
            Rule("money.report_due", (("tm", timer("report")),)),
            cls.on_report_due,
            money_of(agreement).report,
        )

    def start(self) -> None:
        for year in range(self.a.term_start.year, self.a.cap.year + 1):
            self.run.clock.schedule(self._year_end(year), "report", n=year)

    def _year_end(self, year: int) -> dt.date:
        return min(dt.date(year, 12, 31), self.a.cap)

    def agreement_ends(self, effective: dt.date) -> None:
        if effective != self._year_end(effective.year):
            self.run.clock.schedule(effective, "report", n=effective.year)  # the last, partial year

    def on_report_due(self, act: Activation) -> None:
        m = money_of(self.a)
        year, day = int_of(act, "tm", "n"), day_of(act, "tm")
        assert m.report is not None
        for party in m.payees:
            if self.run.life.still_in(party, dt.date(year, 1, 1)):
                self.ruled("report_due", day, act, party=party, year=year, report=m.report.value)
