"""Deterministic synthetic event streams for the benchmarks, from a `random.Random(seed)`.

A stream is valid (`parse_events` accepts it) and stays inside the agreement's life, so every
event reaches the inference core rather than being set aside as `event_outside_term`:
- dates spread over the agreement's whole possible life, in date order;
- where an extension needs intents and a decision (opt-in extension), every party states its
  intent and the decision follows, before each period's deadline, so the agreement runs on;
- notices that would end the agreement come last (one per stream); notices earlier in the
  stream are ones the rules find defective (not in writing), where the agreement says so;
- changes are proposed before anything refers to them, then decided, signed, registered and
  implemented, interleaved with payments, funding decisions, reviews, misuse and deficiencies.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from iop_engine.authority import CHANGE_KINDS
from iop_engine.dates import add_months
from iop_engine.model import Agreement
from iop_engine.testing import last_day

Event = dict[str, Any]

# Relative frequency of each kind of event in the generated mix (per hundred events).
MIX: dict[str, int] = {
    "payment_made": 24,
    "change_proposed": 12,
    "change_decided": 18,
    "change_signed": 18,
    "change_registered": 6,
    "change_implemented": 4,
    "funding_decided": 3,
    "review_held": 2,
    "misuse_found": 3,
    "deficiency_found": 2,
    "action_plan_requested": 2,
    "defective_notice": 3,
    "circumstances_changed": 1,
}


class _Draw:
    """The drawing state of one stream: the agreement, the random source, open changes."""

    def __init__(self, agreement: Agreement, rng: random.Random) -> None:
        self.a = agreement
        self.rng = rng
        self.parties = [p.id for p in agreement.parties]
        self.bodies = [b.id for b in agreement.bodies]
        self.payees = list(agreement.payees)
        misuse = agreement.repayment.misuse if agreement.repayment else None
        self.exceptions = [x.id for x in misuse.exceptions] if misuse else []
        self.changes: list[str] = []

    def kinds(self) -> list[str]:
        """The mix's kinds this agreement can take (payments need a payee; defective notices a
        written-form rule)."""
        out = [k for k in MIX if k not in ("payment_made", "misuse_found") or self.payees]
        written = self.a.termination.written
        return [k for k in out if k != "defective_notice" or (written.regulated and written.value)]

    def event(self, kind: str, day: dt.date) -> Event:
        if kind.startswith("change_") and kind != "change_proposed" and not self.changes:
            kind = "change_proposed"
        return {"type": kind.replace("defective_notice", "notice_given"), "date": day.isoformat()} | (
            self.fields(kind, day)
        )

    def fields(self, kind: str, day: dt.date) -> dict[str, Any]:
        rng = self.rng
        makers: dict[str, Callable[[], dict[str, Any]]] = {
            "payment_made": lambda: self.payment(day),
            "change_proposed": self.proposal,
            "change_decided": lambda: {
                "change": self.open_change(),
                "by": rng.choice(self.bodies),
                "decision": "approved" if rng.random() < 0.9 else "rejected",
            },
            "change_signed": lambda: {"change": self.open_change(), "by": rng.choice(self.parties)},
            "change_registered": lambda: {"change": self.open_change()},
            "change_implemented": lambda: {"change": self.open_change()},
            "funding_decided": lambda: {"year": day.year + rng.choice((0, 1)), "available": True},
            "review_held": lambda: {"outcome": "agreed"},
            "misuse_found": lambda: {
                "party": rng.choice(self.payees),
                "amount": self.amount(),
                **{x: rng.choice((True, False, "unknown")) for x in self.exceptions[:1]},
            },
            "deficiency_found": lambda: {"party": rng.choice(self.parties)},
            "action_plan_requested": lambda: {
                "party": rng.choice(self.parties),
                "by": rng.choice(self.bodies),
            },
            "defective_notice": lambda: {"by": rng.choice(self.parties), "written": False},
            "circumstances_changed": dict,
        }
        return makers[kind]()

    def proposal(self) -> dict[str, Any]:
        change = f"C-{len(self.changes) + 1}"
        self.changes.append(change)
        return {
            "change": change,
            "affects": self.rng.sample(CHANGE_KINDS, self.rng.choice((1, 1, 2))),
            "substantial": self.rng.random() < 0.3,
            "party": self.rng.choice(self.parties),
        }

    def open_change(self) -> str:
        """A recent proposal: changes are decided and signed soon after they are proposed."""
        return self.rng.choice(self.changes[-5:])

    def amount(self) -> str:
        return f"{self.rng.randrange(1_000, 500_000)}.{self.rng.randrange(100):02d}"

    def payment(self, day: dt.date) -> dict[str, Any]:
        first = day.replace(day=1)
        return {
            "to": self.rng.choice(self.payees),
            "amount": self.amount(),
            "covers": {"from": first.isoformat(), "to": (add_months(first, 3) - dt.timedelta(1)).isoformat()},
        }

    def final_notice(self, day: dt.date) -> Event:
        by = self.rng.choice(self.parties[1:] or self.parties)
        notice: Event = {"type": "notice_given", "date": day.isoformat(), "by": by}
        written, to = self.a.termination.written, self.a.termination.to
        if written.regulated and written.value:
            notice["written"] = True
        if to.regulated and to.value:
            notice |= {"to": to.value[0], "scope": "own_commitment"}
        return notice


def _extension_scaffold(agreement: Agreement) -> list[Event]:
    """Intents by every party and the decision, ahead of each period end an opt-in extension
    needs them for; empty for agreements that renew by themselves or run a fixed term."""
    c = agreement.continuation
    if c.kind != "opt_in_extension" or agreement.term.end is None or agreement.term.end.value is None:
        return []
    out: list[Event] = []
    period_end = agreement.term.end.value
    while period_end < last_day(agreement):
        intent_day = add_months(period_end, -8)
        out += [
            {"type": "extension_intent", "date": intent_day.isoformat(), "by": p.id}
            for p in agreement.parties
        ]
        out.append({"type": "extension_decided", "date": add_months(period_end, -7).isoformat()})
        period_end = add_months(period_end, 12)
    return out


def synthetic_stream(agreement: Agreement, length: int, seed: int) -> list[Event]:
    """`length` valid events for `agreement`, the same for the same seed."""
    rng = random.Random(seed)
    draw = _Draw(agreement, rng)
    scaffold = _extension_scaffold(agreement)[: max(length - 1, 0)]
    first, last = agreement.term_start, last_day(agreement) - dt.timedelta(days=1)
    span = (last - first).days
    days = sorted(first + dt.timedelta(days=rng.randrange(span)) for _ in range(length - len(scaffold) - 1))
    kinds = draw.kinds()
    weights = [MIX[k] for k in kinds]
    body = [draw.event(rng.choices(kinds, weights)[0], day) for day in days]
    events = sorted(scaffold + body, key=lambda e: str(e["date"]))
    if length:
        events.append(draw.final_notice(last))
    return events
