"""Substantially changed circumstances (e.g. SOF 2025/144 5.6) as a process: a body is to hold a
dialogue on whether the partnership can continue; a notice on that ground ends the whole
partnership after the clause's period, during which the parties keep their compensation and no
new payment goes out.

Rule `circumstances.changed`: a `circumstances_changed` event opens the dialogue. The notice
itself is the notice clause's; it asks this clause what the process lacks (`notice_given`: no
dialogue recorded before it, who gives such a notice where the text does not say) and to keep the
compensation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from iop_engine.authority import body_fields
from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import fact
from iop_engine.events import CircumstancesChanged, NoticeGiven
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement, Citation, cites_of
from iop_engine.vocabulary.governance import ChangedCircumstances

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run


def _clause(agreement: Agreement) -> ChangedCircumstances:
    assert agreement.changed_circumstances is not None
    return agreement.changed_circumstances


class Circumstances(Clause):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.no_new_payment_from: dt.date | None = None
        self.dialogue_opened: dt.date | None = None

    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return agreement.changed_circumstances is not None

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        yield spec(
            Rule("circumstances.changed", (("c", fact("ev_circumstances_changed")),)),
            cls.on_changed,
            _clause(agreement).dialogue_in,
        )

    def on_changed(self, act: Activation) -> None:
        ev = self.event(act, "c", CircumstancesChanged)
        body = body_fields(self.a, _clause(self.a).dialogue_in.value)
        self.ruled("circumstances_dialogue", ev.date, act, **body)
        if self.dialogue_opened is None:
            self.dialogue_opened = ev.date

    def notice_given(self, ev: NoticeGiven, trace: str) -> None:
        """A notice on this ground: say what the clause's process lacks before it."""
        cc = _clause(self.a)
        if self.dialogue_opened is None:
            body: dict[str, Any] = dict(body_fields(self.a, cc.dialogue_in.value))
            self.run.log.add(
                "circumstances_dialogue_missing",
                ev.date,
                cites_of(cc.dialogue_in),
                (trace,),
                party=ev.by,
                **body,
            )
        if cc.notice_by is not None and cc.notice_by.value is None:
            self.run.log.unregulated(
                ev.date, cc.notice_by, (trace,), value="changed_circumstances.notice_by", party=ev.by
            )

    def keep_compensation(self, since: dt.date, until: dt.date, trace: str) -> None:
        """A notice for changed circumstances given on `since` takes effect on `until`."""
        cc = _clause(self.a)
        self.no_new_payment_from = since
        for party in self.a.payees:
            self.run.log.add(
                "compensation_kept",
                since,
                cites_of(cc.keep_months, cc.no_new_payment),
                (trace,),
                effective=until,
                party=party,
                until=until.isoformat(),
            )

    def no_new_payment(self) -> tuple[dt.date, tuple[Citation, ...]] | None:
        """From when no new payment goes out, and the clause saying so; None before any notice."""
        if self.no_new_payment_from is None:
            return None
        return self.no_new_payment_from, cites_of(_clause(self.a).no_new_payment)
