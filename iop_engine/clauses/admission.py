"""Admission of a new actor (SOF 2025/144 5.6.1: "Om ny aktör vill ansluta sig till
partnerskapet kan styrgruppen besluta om att godkänna ny part till partnerskapet").

Rule `admission.decided`: a `party_admitted` event. Decided by the body the clause names, the
party joins that day (`Lifecycle.joined`): from then on it signs changes, may give notice, be
expelled or rescinded against, and counts as an idea-based party. Decided by another body, or
where the documents do not say who decides, it does not join, and its later events have no
effect.
"""

from __future__ import annotations

from collections.abc import Iterable

from iop_engine.authority import body_fields
from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import fact
from iop_engine.events import PartyAdmitted
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement
from iop_engine.vocabulary.governance import Admission as AdmissionRule


def _clause(agreement: Agreement) -> AdmissionRule:
    assert agreement.admission is not None
    return agreement.admission


class Admission(Clause):
    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return agreement.admission is not None

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        rule = Rule("admission.decided", (("a", fact("ev_party_admitted")),))
        yield spec(rule, cls.on_admitted, _clause(agreement).by)

    def on_admitted(self, act: Activation) -> None:
        ev = self.event(act, "a", PartyAdmitted)
        by = _clause(self.a).by
        life = self.run.life
        if life.joined.get(ev.party) is not None:
            return  # admitted already: the first admission stands
        if by.value is None:
            self.run.log.unregulated(ev.date, by, (act.rule,), value="admission.by", party=ev.party)
            return
        if ev.by != by.value:
            mandated = body_fields(self.a, by.value, "mandated")
            self.ruled(
                "admission_without_mandate",
                ev.date,
                act,
                party=ev.party,
                **body_fields(self.a, ev.by),
                **mandated,
            )
            return
        life.joined[ev.party] = ev.date
        self.ruled(
            "party_admitted", ev.date, act, effective=ev.date, party=ev.party, **body_fields(self.a, ev.by)
        )
