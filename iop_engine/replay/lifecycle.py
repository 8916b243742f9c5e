"""The agreement's life in a replay: its periods, its end, and each party's end with its cause.

Clauses decide *that* a period begins or something ends; the lifecycle keeps the record, so
"a party's part ends" is one function whatever the route (notice, expulsion, rescission, a
declined extension, the agreement's own end).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, get_args

import attrs

from iop_engine.model import Period, PeriodKind

EndCause = Literal[
    "notice", "ended", "rescission", "expulsion", "changed_circumstances", "declined_extension"
]


@attrs.frozen
class PartyEnd:
    day: dt.date
    # Answers and endings name the route by it (phrases `cause.<cause>`): one it does not know
    # would surface only where a message reads it.
    cause: EndCause = attrs.field(validator=attrs.validators.in_(get_args(EndCause)))


class Lifecycle:
    def __init__(self) -> None:
        self.periods: list[Period] = []
        self.end: dt.date | None = None
        self.ends: dict[str, PartyEnd] = {}
        # Parts that a notice already received will end, by the day it takes effect (known before
        # that day, when the part itself has not yet ended).
        self.leaving: dict[str, dt.date] = {}
        self.continued: set[int] = set()  # periods already followed by a next one
        # From this day the agreement's course cannot be computed (a value it needs is unknown).
        self.undetermined: dt.date | None = None
        # Parties a `party_admitted` event names: the day they joined, None until (or unless)
        # they are validly admitted. Parties of the rule file are in from the start.
        self.joined: dict[str, dt.date | None] = {}

    def add_period(self, start: dt.date, end: dt.date | None, kind: PeriodKind) -> int:
        """Record a period; its number (1 for the first)."""
        self.periods.append(Period(start, end, kind))
        return len(self.periods)

    def party_ends(self, party: str, day: dt.date, cause: EndCause) -> bool:
        """The party's part ends on `day`. The earliest ending counts, with its cause; a later
        one on the same day does not replace it. Whether this is now the party's end."""
        known = self.ends.get(party)
        if known is None or day < known.day:
            self.ends[party] = PartyEnd(day, cause)
            return True
        return False

    def will_leave(self, day: dt.date, *parties: str) -> None:
        """A notice received will end these parties' parts on `day` (the earliest day counts)."""
        for party in parties:
            self.leaving[party] = min(day, self.leaving.get(party, day))

    def leaves_by(self, party: str, day: dt.date) -> bool:
        """Whether the party's part is known to end by `day`: it has ended, or a notice received
        will end it by then."""
        known = [d for d in (self.party_until(party), self.leaving.get(party)) if d is not None]
        return any(d <= day for d in known)

    def party_until(self, party: str) -> dt.date | None:
        """The last day of the party's part, where it has ended."""
        known = self.ends.get(party)
        return known.day if known else None

    def still_in(self, party: str, day: dt.date) -> bool:
        """Whether the party's part runs on `day`: it has joined by then and not ended."""
        if party in self.joined:
            joined = self.joined[party]
            if joined is None or day < joined:
                return False
        until = self.party_until(party)
        return until is None or until >= day

    def never_joined(self, party: str) -> bool:
        return party in self.joined and self.joined[party] is None

    def after_end(self, day: dt.date) -> bool:
        return self.end is not None and day > self.end

    def unknown_after(self, day: dt.date) -> bool:
        """Whether `day` lies after the day from which the course cannot be computed."""
        return self.undetermined is not None and day > self.undetermined
