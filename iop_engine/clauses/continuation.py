"""What renewal and extension share: how long a next period is, and ending for lack of funds.

Exactly one continuation clause applies to an agreement that can go on after its first period
(`renewal` or `extension`); a fixed term has none. The lifecycle asks it for each new period's
action deadline (`open_period`) and for a next period's end (`period_end_after`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from iop_engine.clauses.base import Clause
from iop_engine.dates import add_months
from iop_engine.inference import Activation
from iop_engine.messages import phrase
from iop_engine.model import Fact
from iop_engine.replay.facts import day_of
from iop_engine.vocabulary.term import AutoRenewal, OptInExtension


class Continuation(Clause):
    def open_period(self, n: int, start: dt.date, end: dt.date) -> dt.date | None:
        """A period that can be continued begins: its deadline for the act that decides whether
        it does (a notice, an intent), as the last day to act; None where there is none."""
        raise NotImplementedError

    @property
    def rule(self) -> AutoRenewal | OptInExtension:
        c = self.a.continuation
        assert isinstance(c, AutoRenewal | OptInExtension)
        return c

    def period_end_after(self, start: dt.date) -> dt.date:
        """The last day of a next period starting on `start`, before the cap applies."""
        return add_months(start, need(self.rule.step_months)) - dt.timedelta(days=1)

    def on_unfunded(self, act: Activation) -> None:
        year = act.facts["f"]["year"]
        reason = phrase("reason", "expired.unfunded", year=year)
        self.run.end_agreement("expired", day_of(act, "tm"), act, **reason)


def need(fact: Fact[Any] | None) -> Any:
    """The value of a rule-file fact the clause cannot work without (the loader guarantees it)."""
    if fact is None or fact.value is None:
        raise ValueError("a required rule value is missing")
    return fact.value
