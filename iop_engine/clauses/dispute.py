"""Disputes (tvist): how the agreement says they are resolved first (SOF 2025/144 5.9, Helsingborg
§9: "genom dialog"), and that the documents name no forum where they do not.

Rule `dispute.raised`: a `dispute_raised` event.
"""

from __future__ import annotations

from collections.abc import Iterable

from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import fact
from iop_engine.events import DisputeRaised
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement
from iop_engine.vocabulary.governance import Dispute as DisputeRule


def _clause(agreement: Agreement) -> DisputeRule:
    assert agreement.dispute is not None
    return agreement.dispute


class Dispute(Clause):
    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return agreement.dispute is not None

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        d = _clause(agreement)
        yield spec(Rule("dispute.raised", (("d", fact("ev_dispute_raised")),)), cls.on_raised, d.first_by)

    def on_raised(self, act: Activation) -> None:
        ev = self.event(act, "d", DisputeRaised)
        d = _clause(self.a)
        if d.first_by.value is None:
            self.run.log.unregulated(ev.date, d.first_by, (act.rule,), value="dispute.first_by", party=ev.by)
            return
        self.ruled("dispute_dialogue", ev.date, act, party=ev.by, first_by=d.first_by.value)
        if d.forum is not None and d.forum.value is None:
            self.run.log.unregulated(ev.date, d.forum, (act.rule,), value="dispute.forum", party=ev.by)
