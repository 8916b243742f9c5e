"""The term's last possible period: when it ends, the agreement expires (at the cap, or at the
end of a fixed term "utan föregående uppsägning").

Rule `term.period_end.final`: the end timer of a period that cannot be continued.
"""

from __future__ import annotations

from collections.abc import Iterable

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import eq, fact, ref, timer
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement
from iop_engine.phrases import phrase
from iop_engine.replay.facts import day_of
from iop_engine.vocabulary.term import AutoRenewal, FixedTerm, OptInExtension


class Term(Clause):
    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        c = agreement.continuation
        last_period = fact("period", ref("n", "tm", "n"), eq("last", 1))
        cap = c.cap if isinstance(c, AutoRenewal | OptInExtension) else None
        yield spec(
            Rule("term.period_end.final", (("tm", timer("period_end")), ("p", last_period))),
            cls.on_final,
            cap or agreement.term.end,
            c.ends_without_notice if isinstance(c, FixedTerm) else None,
        )

    def on_final(self, act: Activation) -> None:
        end = day_of(act, "tm")
        cap = self.a.cap
        at_cap = cap is not None and end >= cap and not isinstance(self.a.continuation, FixedTerm)
        reason = phrase("reason", "expired.cap" if at_cap else "expired.term_end")
        self.run.end_agreement("expired", end, act, **reason)
