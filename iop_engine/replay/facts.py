"""The facts a replay asserts into working memory, and typed views of the facts rules matched.

Working memory holds only str and int values (the adapter's contract): days are date ordinals,
booleans 0/1, an unknown three-valued answer 2, an absent text "".
- `period`  n, start, end, deadline (the period's last day for its action, or 0), last (1 when
            no continuation is possible after it), next_year (the year a next period would start)
- `ev_<type>` one per input event: pos, day, the event's fields, and `public` (1 when `by` is
            the public party)
- `timer`   kind, n, ref, day, limit (see `clock.Timer`)
- markers   asserted by clauses (`notice_ok`, `opt_out`, `ext_granted`, …); each carries the
            `day` of the event behind it
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs

from iop_engine.events import Event
from iop_engine.inference import Activation, Scalar
from iop_engine.model import Agreement
from iop_engine.money import Span

# Three-valued event fields: unknown is asserted as 2, so a rule can tell it from false (0).
UNKNOWN_AS_TWO = frozenset({"written"})


def event_fact(event: Event, agreement: Agreement) -> dict[str, Scalar]:
    fact: dict[str, Scalar] = {"t": "ev_" + event.type, "pos": event.position, "day": event.date.toordinal()}
    for name, value in event.fields.items():
        if isinstance(value, tuple):
            if all(isinstance(v, str) for v in value):
                fact[name] = ",".join(value)
            # An admitted party's commitments are the amendments' to apply, not the rules' to match.
        elif isinstance(value, bool):
            fact[name] = int(value)
        elif value is None:
            fact[name] = 2 if name in UNKNOWN_AS_TWO else ""
        elif isinstance(value, Span):
            fact[name + "_from"], fact[name + "_to"] = value.first.toordinal(), value.last.toordinal()
        elif isinstance(value, Decimal):
            fact[name] = str(value)
        elif isinstance(value, dt.date):
            fact[name] = value.toordinal()
        elif isinstance(value, Mapping):
            continue  # what a change amends is the amendments' to apply, not the rules' to match
        else:
            fact[name] = value
    by = event.get("by")
    party = agreement.party(by) if isinstance(by, str) else None
    fact["public"] = int(bool(party and party.is_public))
    return fact


@attrs.frozen
class PeriodFact:
    """A period as working memory holds it. A period that runs until terminated has no end: its
    fact's `end` is the last representable day, so every later day lies within it."""

    n: int
    start: dt.date
    end: dt.date | None
    deadline: dt.date | None
    last: bool

    def fact(self) -> dict[str, Scalar]:
        end = self.end or dt.date.max
        return {
            "t": "period",
            "n": self.n,
            "start": self.start.toordinal(),
            "end": end.toordinal(),
            "deadline": self.deadline.toordinal() if self.deadline else 0,
            "last": int(self.last),
            "next_year": (self.end + dt.timedelta(days=1)).year if self.end else 0,
        }

    @classmethod
    def matched(cls, activation: Activation, alias: str = "p") -> PeriodFact:
        """The period a rule matched as `alias`."""
        p: Mapping[str, Scalar] = activation.facts[alias]
        deadline, end = int(p["deadline"]), int(p["end"])
        return cls(
            int(p["n"]),
            dt.date.fromordinal(int(p["start"])),
            None if end == dt.date.max.toordinal() else dt.date.fromordinal(end),
            dt.date.fromordinal(deadline) if deadline else None,
            bool(p["last"]),
        )


def day_of(activation: Activation, alias: str) -> dt.date:
    """The `day` of the fact a rule matched as `alias` (a timer's, an event's, a marker's)."""
    return dt.date.fromordinal(int(activation.facts[alias]["day"]))


def int_of(activation: Activation, alias: str, field: str) -> int:
    return int(activation.facts[alias][field])
