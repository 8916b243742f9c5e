"""A stream grown one event at a time: after every append, the answer keeps its invariants.

- what happened before the appended event's day is never rewritten (findings dated earlier are
  the same as before the append, bar those restated from the whole stream, `RESTATED`);
- no period passes the cap, and periods follow each other without gaps;
- every party appears once, with one end date, never after the agreement's end;
- every finding (bar the documents' silence and events outside the term) cites a clause, and
  every quote occurs in its document;
- no amount is negative, and nothing is claimed beyond what was paid by the claim's day.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from iop_engine import load_library, replay
from iop_engine.events import parse_events
from iop_engine.model import Agreement, Answer
from iop_engine.replay.driver import horizon
from iop_engine.testing import any_event, last_reachable_day

LIBRARY = load_library()
UNCITED = frozenset({"unregulated", "event_outside_term"})
# Findings restated from the whole stream: pending changes (dated at its last day) and how far the
# answer projects an agreement without a last day (five years past the latest event).
RESTATED = frozenset({"change_pending", "open_ended"})


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _amounts(data: Any) -> list[Decimal]:
    if isinstance(data, dict):
        return [a for key, value in data.items() for a in _amounts(value) if key != "period"] + (
            [Decimal(data["amount"])] if isinstance(data.get("amount"), str) else []
        )
    return []


class GrowingStream(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.agreement: Agreement = LIBRARY["stockholm-sof-2026-268"]
        self.events: list[dict[str, Any]] = []
        self.answer: Answer = replay(self.agreement, [])

    @initialize(agreement_id=st.sampled_from(sorted(LIBRARY)))
    def choose_agreement(self, agreement_id: str) -> None:
        self.agreement = LIBRARY[agreement_id]
        self.answer = replay(self.agreement, [])

    @rule(data=st.data())
    def append_an_event(self, data: st.DataObject) -> None:
        new = data.draw(any_event(self.agreement))
        last = self.events[-1]["date"] if self.events else None
        if last is not None and new["date"] < last:
            new["date"] = last  # keep the stream in date order
        proposed = {e["change"] for e in self.events if e["type"] == "change_proposed"}
        change = new.get("change")
        if change and (change in proposed) == (new["type"] == "change_proposed"):
            return  # a second proposal, or an event about a change never proposed: not a valid stream
        before, followed_to = (
            self.answer,
            horizon(self.agreement, parse_events(self.events, self.agreement), None),
        )
        self.events = [*self.events, new]
        self.answer = replay(self.agreement, self.events)
        # What the earlier answer said, up to the day appended and as far as it followed the
        # agreement (an event past that takes the projection further, see `replay.horizon`).
        day = min(dt.date.fromisoformat(new["date"]), followed_to + dt.timedelta(days=1))
        kept = [f.to_dict() for f in before.findings if f.date < day and f.code not in RESTATED]
        now = [f.to_dict() for f in self.answer.findings if f.date < day and f.code not in RESTATED]
        assert kept == now, f"appending {new} rewrote what happened before {day}"

    @invariant()
    def periods_stay_under_the_cap_without_gaps(self) -> None:
        periods = self.answer.periods
        reach = last_reachable_day(self.agreement, self.events)
        assert all(p.start <= (p.end or p.start) <= reach for p in periods)
        assert [p.end + dt.timedelta(days=1) for p in periods[:-1] if p.end] == [p.start for p in periods[1:]]

    @invariant()
    def each_party_has_one_end_date_within_the_agreement(self) -> None:
        ids = [p.id for p in self.answer.parties]
        assert [p.id for p in self.agreement.parties] == ids
        for party in self.answer.parties:
            if party.until is not None and self.answer.end is not None:
                assert party.until <= self.answer.end

    @invariant()
    def findings_cite_clauses_that_occur_in_their_documents(self) -> None:
        for finding in self.answer.findings:
            if finding.code not in UNCITED:
                assert finding.cites, f"{finding.code} {finding.date} cites no clause"
            for cite in finding.cites:
                source = self.agreement.document(cite.doc)
                if source is not None:
                    assert _squeezed(cite.quote) in _squeezed(source.text)
                else:
                    assert cite.doc.startswith("Kommunallag"), f"unknown document {cite.doc}"

    @invariant()
    def money_is_never_negative_nor_claimed_beyond_what_was_paid(self) -> None:
        for finding in self.answer.findings:
            assert all(a >= 0 for a in _amounts(finding.to_dict()["data"]))
        for totals in self.answer.money:
            assert min(totals.paid, totals.due, totals.claimable, totals.to_assess) >= 0
            assert totals.claimable <= totals.paid


GrowingStream.TestCase.settings = settings(
    max_examples=20, stateful_step_count=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_a_stream_grown_one_event_at_a_time_keeps_its_invariants = GrowingStream.TestCase
