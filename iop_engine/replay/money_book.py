"""The money record of one replay: payments made, and amounts due, claimed or to be assessed.

The payment and repayment clauses write it; the answer's `money` totals per party come from it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

import attrs

from iop_engine.model import PartyMoney
from iop_engine.money import ZERO, Span

EntryKind = Literal["due", "claimed", "to_assess"]


@attrs.frozen
class Payment:
    position: int
    date: dt.date
    party: str
    amount: Decimal
    covers: Span


@attrs.frozen
class Entry:
    kind: EntryKind
    date: dt.date
    party: str
    amount: Decimal


class MoneyBook:
    def __init__(self) -> None:
        self.payments: list[Payment] = []
        self.entries: list[Entry] = []

    def add(self, kind: EntryKind, date: dt.date, party: str, amount: Decimal) -> None:
        self.entries.append(Entry(kind, date, party, amount))

    def paid(self, party: str, until: dt.date | None = None) -> Decimal:
        return sum(
            (p.amount for p in self.payments if p.party == party and (until is None or p.date <= until)), ZERO
        )

    def total(self, kind: EntryKind, party: str, until: dt.date | None) -> Decimal:
        return sum(
            (
                e.amount
                for e in self.entries
                if e.kind == kind and e.party == party and (until is None or e.date <= until)
            ),
            ZERO,
        )

    def summary(self, payees: tuple[str, ...], until: dt.date | None = None) -> tuple[PartyMoney, ...]:
        """Totals per party the agreement pays, as of `until` (default: the whole replay)."""
        return tuple(
            PartyMoney(
                party,
                self.paid(party, until),
                self.total("due", party, until),
                self.total("claimed", party, until),
                self.total("to_assess", party, until),
            )
            for party in payees
        )
