"""A right to call for renegotiation (omförhandling) of the agreement's terms: at any time (SOF
2025/144 5.6 "Parterna kan påkalla omförhandling av bestämmelse i partnerskapet"), or on a ground
(Helsingborg §9: when a party does not fulfil its commitments, or circumstances arise that could
not be foreseen at signing).

Rules: `renegotiation.ground.<event>` (`renegotiation.ground.deficiency_found`,
`renegotiation.ground.action_plan_failed`, `renegotiation.ground.circumstances_changed`), a
recorded breach or changed circumstances where they are grounds,
says that the parties may now call for renegotiation; `renegotiation.requested`, a
`renegotiation_requested` event, says who sees to the dialogue, and what the request lacks (a
ground not recorded before it, a party the clause does not entitle).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from iop_engine.authority import body_fields
from iop_engine.clauses.base import Clause, RuleSpec, spec
from iop_engine.clauses.patterns import fact
from iop_engine.events import RenegotiationRequested
from iop_engine.inference import Activation, Rule
from iop_engine.model import Agreement
from iop_engine.phrases import phrases
from iop_engine.vocabulary.governance import Renegotiation as RenegotiationRule

if TYPE_CHECKING:
    from iop_engine.replay.driver import Run

# The events that show each ground, and the finding's variant for it.
GROUND_EVENTS = {
    "breach": ("deficiency_found", "action_plan_failed"),
    "unforeseen_circumstances": ("circumstances_changed",),
}


def _clause(agreement: Agreement) -> RenegotiationRule:
    assert agreement.renegotiation is not None
    return agreement.renegotiation


class Renegotiation(Clause):
    def __init__(self, run: Run) -> None:
        super().__init__(run)
        self.grounds_shown: list[tuple[dt.date, str]] = []

    @classmethod
    def applies(cls, agreement: Agreement) -> bool:
        return agreement.renegotiation is not None

    @classmethod
    def rules(cls, agreement: Agreement) -> Iterable[RuleSpec]:
        r = _clause(agreement)
        for ground in r.grounds.value or ():
            for event in GROUND_EVENTS.get(ground, ()):
                rule = Rule(f"renegotiation.ground.{event}", (("g", fact(f"ev_{event}")),))
                yield spec(rule, cls.on_ground, r.grounds, r.by)
        requested = Rule("renegotiation.requested", (("q", fact("ev_renegotiation_requested")),))
        yield spec(requested, cls.on_requested, r.grounds, r.by, r.responsible)

    def on_ground(self, act: Activation) -> None:
        event = self.run.event_at(int(act.facts["g"]["pos"]))
        ground = next(g for g, events in GROUND_EVENTS.items() if event.type in events)
        self.grounds_shown.append((event.date, ground))
        self.ruled(
            "renegotiation_right",
            event.date,
            act,
            party=event.get("party"),
            ground=ground,
            template=f"renegotiation_right.{ground}",
        )

    def on_requested(self, act: Activation) -> None:
        ev = self.event(act, "q", RenegotiationRequested)
        r = _clause(self.a)
        grounds = r.grounds.value
        if grounds is None:
            self.run.log.unregulated(
                ev.date, r.grounds, (act.rule,), value="renegotiation.grounds", party=ev.by
            )
            return
        remarks = []
        shown = None if "any" in grounds else any(day <= ev.date for day, _ in self.grounds_shown)
        if shown is False:
            remarks.append("renegotiation_requested.ground_not_shown")
        party = self.a.party(ev.by)
        entitled = {"public_party": True, "idea_party": False}.get(str(r.by.value))
        if entitled is not None and party is not None and party.is_public != entitled:
            remarks.append(f"renegotiation_requested.not_{r.by.value}")
        responsible = r.responsible.value if r.responsible is not None else None
        fields: dict[str, Any] = body_fields(self.a, responsible) if responsible else {}
        if responsible:
            remarks.insert(0, "renegotiation_requested.responsible")
        self.ruled(
            "renegotiation_requested",
            ev.date,
            act,
            party=ev.by,
            ground_shown=shown,
            **fields,
            **phrases("remarks", remarks, None, **fields),
        )
