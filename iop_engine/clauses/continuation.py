"""What the continuation clauses share: how long a next period is, and what stops one.

Exactly one continuation clause applies to an agreement that can go on after a period
(`renewal`, `extension` or `indefinite`); a fixed term has none. The lifecycle asks it for each
new period's action deadline (`open_period`) and for a next period's end (`period_end_after`).
A period does not continue where the funds for the year it would start in are refused, or a
condition of the term was decided unmet before it ends (`blocked_end` gives those rules).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from iop_engine.clauses.base import Clause, RuleSpec, report_backward_count, spec
from iop_engine.clauses.conditions import other_facts
from iop_engine.clauses.patterns import Pattern, marker
from iop_engine.dates import BackwardCount, add_months
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, Fact
from iop_engine.phrases import phrase
from iop_engine.replay.facts import day_of

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run

Alias = tuple[str, Pattern]


class Continuation(Clause):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.counts: dict[int, BackwardCount] = {}  # period -> its deadline counted in months back

    def count_back(
        self, n: int, count: BackwardCount | None, fact: Fact[Any], rule: str, on: dt.date
    ) -> None:
        """Keep a deadline counted backwards for period `n`; report its other readings."""
        if count is not None and count.ambiguous:
            self.counts[n] = count
            report_backward_count(self.run, count, fact, rule, on)

    def late_readings(self, n: int, done: dt.date, deadline: dt.date, act: Activation, **data: Any) -> None:
        """After an act late for period `n`'s deadline: the readings under which it is in time.
        Another count of the months ("senast sex månader innan" a month's last day: month end to
        month end) that reaches the act's day; else the next workday by analogy (lag 1930:173 2 §)."""
        cites, trace = self.run.cites(act.rule), (act.rule,)
        count = self.counts.get(n)
        later = [d for d in count.other_readings if d >= done] if count else []
        if count is not None and later:
            fields = {
                "deadline": deadline.isoformat(),
                "other": min(later).isoformat(),
                "months": count.months,
            }
            key = "ambiguity.late_other_count"
            self.run.log.reading(done, cites, trace, None, key, fields, **fields, **data)
            return
        self.run.late_by_the_letter(done, deadline, cites, trace, **data)

    def step_in(self, terms: Agreement) -> Fact[int] | None:
        """The length of a next period under `terms` (the agreement as in force on some day),
        where periods have one (renewal, extension)."""
        return getattr(terms.continuation, "step_months", None)

    def open_period(self, n: int, start: dt.date, end: dt.date) -> dt.date | None:
        """A period that can be continued begins: its deadline for the act that decides whether
        it does (a notice, an intent), as the last day to act; None where there is none."""
        return None

    def period_end_after(self, start: dt.date, terms: Agreement | None = None) -> dt.date | None:
        """The last day of a next period starting on `start`, before the cap applies, under
        `terms` (default: the agreement as amended); None for a period that runs until
        terminated."""
        step = self.step_in(terms or self.a)
        if step is None or step.value is None:
            return None
        return add_months(start, step.value) - dt.timedelta(days=1)

    def on_unfunded(self, act: Activation) -> None:
        reason = phrase("reason", "expired.unfunded", year=act.facts["f"]["refused"])
        self.run.end_agreement("expired", day_of(act, "tm"), act, **reason)

    def on_condition_unmet(self, act: Activation) -> None:
        condition = next(c for c in self.a.conditions if c.id == act.facts["u"]["condition"])
        reason = phrase("reason", "expired.condition", condition=condition.text.value or condition.id)
        self.run.end_agreement("expired", day_of(act, "tm"), act, **reason)


def unmet_condition() -> Pattern:
    """A condition of the term decided unmet on or before the period end timer `tm`."""
    return marker("condition_unmet")


def blocked_end(
    cls: type[Continuation], agreement: Agreement, prefix: str, tm: Alias, period: Alias
) -> Iterator[RuleSpec]:
    """The rule that lets a period expire because a condition of the term was decided unmet."""
    if other_facts(agreement):
        yield spec(
            Rule(f"{prefix}.period_end.condition_unmet", (tm, period, ("u", unmet_condition()))),
            cls.on_condition_unmet,
            *other_facts(agreement),
        )


def need(fact: Fact[Any] | None) -> Any:
    """The value of a fact the loader has made sure of (a required value with no way to leave
    it open)."""
    assert fact is not None and fact.value is not None
    return fact.value
