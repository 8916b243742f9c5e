"""Dated input events: their types, their fields, and the checks that refuse bad ones.

An event's `date` is the day it took effect for the recipient: a notice counts on the day it
reached the recipient (the sender carries the risk of delay), not the day it was sent.

`parse_events` checks a whole stream before anything is replayed, so a bad event refuses the
stream with a message naming the event's position (1-based) and field; nothing is half-applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Any

import attrs

from iop_engine.authority import CHANGE_KINDS
from iop_engine.dates import parse_iso_date
from iop_engine.errors import EventError
from iop_engine.model import Agreement
from iop_engine.money import Span, kronor


@attrs.frozen
class Event:
    """One validated event. `fields` holds the type's fields, defaults filled in."""

    position: int
    type: str
    date: dt.date
    fields: Mapping[str, Any]

    def get(self, name: str) -> Any:
        return self.fields.get(name)


Check = Callable[[Any, Agreement], Any]


@attrs.frozen
class FieldSpec:
    name: str
    check: Check
    expected: str
    required: bool = True
    default: Any = None


def _party(value: Any, agreement: Agreement) -> str:
    if not isinstance(value, str) or agreement.party(value) is None:
        raise ValueError(f"one of the agreement's parties: {', '.join(p.id for p in agreement.parties)}")
    return value


def _body_or_party(value: Any, agreement: Agreement) -> str:
    known = [b.id for b in agreement.bodies] + [p.id for p in agreement.parties]
    if not isinstance(value, str) or value not in known:
        raise ValueError(f"a body or party of the agreement: {', '.join(known)}")
    return value


def _bool(value: Any, _: Agreement) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


@attrs.frozen
class OneOf:
    """A check accepting one of a few words; forms read `allowed` to offer them."""

    allowed: tuple[str, ...]

    def __call__(self, value: Any, _: Agreement) -> str:
        if value not in self.allowed:
            raise ValueError(f"one of: {', '.join(self.allowed)}")
        return str(value)


def _one_of(*allowed: str) -> Check:
    return OneOf(allowed)


def _body(value: Any, agreement: Agreement) -> str:
    if not isinstance(value, str) or agreement.body(value) is None:
        raise ValueError(f"one of the agreement's bodies: {', '.join(b.id for b in agreement.bodies)}")
    return value


def _change_id(value: Any, _: Agreement) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise ValueError("the change's id, as given in its change_proposed event")
    return str(value)


def _kinds(value: Any, _: Agreement) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not items or any(k not in CHANGE_KINDS for k in items):
        raise ValueError(f"a list of: {', '.join(CHANGE_KINDS)}")
    return tuple(sorted(set(items)))


def _payee(value: Any, agreement: Agreement) -> str:
    payees = agreement.money.payees if agreement.money else ()
    if not isinstance(value, str) or value not in payees:
        raise ValueError(f"a party the agreement pays: {', '.join(payees) or 'none is named'}")
    return value


def _amount(value: Any, _: Agreement) -> Decimal:
    if isinstance(value, Decimal) or (isinstance(value, str | int) and not isinstance(value, bool)):
        amount = kronor(value)
    else:
        raise ValueError('an amount in kronor as text or a whole number, e.g. "244500.00" or 244500')
    if amount <= 0:
        raise ValueError("an amount above zero")
    return amount


def _covers(value: Any, _: Agreement) -> Span:
    if not isinstance(value, Mapping) or set(value) != {"from", "to"}:
        raise ValueError("the period the payment covers, as {from: YYYY-MM-DD, to: YYYY-MM-DD}")
    days = []
    for key in ("from", "to"):
        day = value[key]
        if isinstance(day, dt.datetime):
            raise ValueError(f"a day without a time of day for '{key}'")
        days.append(day if isinstance(day, dt.date) else parse_iso_date(str(day)))
    if days[1] < days[0]:
        raise ValueError("a period whose 'to' is not earlier than its 'from'")
    return Span(days[0], days[1])


def _known_or_unknown(value: Any, _: Agreement) -> bool | None:
    if value == "unknown":
        return None
    if not isinstance(value, bool):
        raise ValueError("true, false or unknown")
    return value


def _year(value: Any, _: Agreement) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2200:
        raise ValueError("a year such as 2027")
    return value


EVENT_TYPES: dict[str, tuple[FieldSpec, ...]] = {
    "notice_given": (
        FieldSpec("by", _party, "the party giving notice"),
        FieldSpec(
            "scope",
            _one_of("agreement", "own_commitment"),
            "agreement or own_commitment",
            required=False,
            default="agreement",
        ),
        FieldSpec("to", _body_or_party, "the body or party the notice was given to", required=False),
        FieldSpec("written", _bool, "whether the notice was in writing (true/false)", required=False),
        FieldSpec(
            "ground",
            _one_of("ordinary", "changed_circumstances"),
            "ordinary, or changed_circumstances (substantially changed circumstances)",
            required=False,
            default="ordinary",
        ),
    ),
    "extension_intent": (
        FieldSpec("by", _party, "the party notifying its intent"),
        FieldSpec(
            "extend", _bool, "whether the party intends to extend (true/false)", required=False, default=True
        ),
    ),
    "extension_decided": (
        FieldSpec(
            "extend",
            _bool,
            "whether the extension was decided (true) or refused (false)",
            required=False,
            default=True,
        ),
        FieldSpec("by", _body_or_party, "the body that decided", required=False),
    ),
    "review_held": (FieldSpec("outcome", _one_of("agreed", "not_agreed"), "agreed or not_agreed"),),
    "change_proposed": (
        FieldSpec("change", _change_id, "an id for the change, e.g. 2026-03"),
        FieldSpec("affects", _kinds, "what the change affects"),
        FieldSpec(
            "substantial",
            _bool,
            "whether the change is väsentlig (true/false)",
            required=False,
            default=False,
        ),
        FieldSpec("party", _party, "whose commitments the change concerns", required=False),
    ),
    "change_decided": (
        FieldSpec("change", _change_id, "the change's id"),
        FieldSpec("by", _body, "the body that decided"),
        FieldSpec("decision", _one_of("approved", "rejected"), "approved or rejected"),
    ),
    "change_signed": (
        FieldSpec("change", _change_id, "the change's id"),
        FieldSpec("by", _party, "the party whose signatory signed"),
    ),
    "change_registered": (FieldSpec("change", _change_id, "the change's id"),),
    "change_implemented": (FieldSpec("change", _change_id, "the change's id"),),
    "payment_made": (
        FieldSpec("to", _payee, "the party paid"),
        FieldSpec("amount", _amount, "the amount in kronor"),
        FieldSpec("covers", _covers, "the period paid for, {from: YYYY-MM-DD, to: YYYY-MM-DD}"),
    ),
    "misuse_found": (
        FieldSpec("party", _payee, "the party that misused funds"),
        FieldSpec("amount", _amount, "the amount affected by the misuse, in kronor"),
        FieldSpec(
            "due_care",
            _known_or_unknown,
            "whether due care was shown: true, false or unknown",
            required=False,
        ),
        FieldSpec(
            "disproportionate",
            _known_or_unknown,
            "whether a claim would be disproportionate: true, false or unknown",
            required=False,
        ),
    ),
    "deficiency_found": (FieldSpec("party", _party, "the party whose commitments fall short"),),
    "action_plan_requested": (
        FieldSpec("party", _party, "the party asked for an action plan"),
        FieldSpec("by", _body, "the body that asked"),
    ),
    "action_plan_failed": (FieldSpec("party", _party, "the party whose action plan did not remedy"),),
    "party_expelled": (
        FieldSpec("party", _party, "the party expelled"),
        FieldSpec("by", _body, "the body that decided"),
    ),
    "rescinded": (
        FieldSpec("by", _party, "the party rescinding (hävning)"),
        FieldSpec("against", _party, "the party that failed its commitments"),
    ),
    "circumstances_changed": (),
    "funding_decided": (
        FieldSpec("year", _year, "the budget year the decision concerns"),
        FieldSpec("available", _bool, "whether funds are available (true/false)"),
    ),
}

RESERVED = ("type", "date", "note")

# What each check accepts, named, so that a form building events (the web pages) can offer the
# right control without knowing the checks; a `OneOf` check is a "choice" of its `allowed`.
VALUE_KINDS: dict[Check, str] = {
    _party: "party",
    _body_or_party: "body_or_party",
    _body: "body",
    _payee: "payee",
    _bool: "bool",
    _known_or_unknown: "bool_or_unknown",
    _amount: "amount",
    _covers: "span",
    _year: "year",
    _change_id: "text",
    _kinds: "change_kinds",
}


def value_kind(spec: FieldSpec) -> str:
    return "choice" if isinstance(spec.check, OneOf) else VALUE_KINDS[spec.check]


def parse_event(raw: Any, position: int, agreement: Agreement) -> Event:
    """Check one raw event mapping; raises `EventError` naming the position and field."""
    if not isinstance(raw, Mapping):
        raise EventError(
            position,
            None,
            "an event must be a mapping with `type` and `date`",
            "Write it as {type: ..., date: YYYY-MM-DD, ...}.",
        )
    kind = raw.get("type")
    if not isinstance(kind, str) or kind not in EVENT_TYPES:
        raise EventError(
            position, "type", f"unknown event type {kind!r}", f"Use one of: {', '.join(sorted(EVENT_TYPES))}."
        )
    date_raw = raw.get("date")
    if date_raw is None:
        raise EventError(position, "date", "the event has no date", "Add `date: YYYY-MM-DD`.")
    if isinstance(date_raw, dt.datetime):
        raise EventError(
            position,
            "date",
            f"{date_raw} has a time of day",
            "Give the day only, as YYYY-MM-DD: the agreements count days, not hours.",
        )
    try:
        date = date_raw if isinstance(date_raw, dt.date) else parse_iso_date(str(date_raw))
    except ValueError as error:
        raise EventError(position, "date", str(error), "Give a real date as YYYY-MM-DD.") from None
    specs = EVENT_TYPES[kind]
    allowed = {s.name for s in specs} | set(RESERVED)
    for key in raw:
        if key not in allowed:
            raise EventError(
                position,
                str(key),
                f"'{key}' is not a field of {kind}",
                f"Fields of {kind}: {', '.join(s.name for s in specs)}.",
            )
    fields: dict[str, Any] = {}
    for spec in specs:
        if spec.name not in raw or raw[spec.name] is None:
            if spec.required:
                raise EventError(
                    position, spec.name, f"{kind} needs '{spec.name}'", f"Add {spec.name}: {spec.expected}."
                )
            fields[spec.name] = spec.default
            continue
        try:
            fields[spec.name] = spec.check(raw[spec.name], agreement)
        except ValueError as error:
            raise EventError(
                position, spec.name, f"{raw[spec.name]!r} is not valid", f"Expected {error}."
            ) from None
    return Event(position, str(kind), date, fields)


def parse_events(raws: Sequence[Any], agreement: Agreement) -> tuple[Event, ...]:
    """Check a whole stream: every event valid, and dates never going backwards."""
    events = tuple(parse_event(raw, i, agreement) for i, raw in enumerate(raws, start=1))
    proposed: set[str] = set()
    for event in events:
        change = event.get("change")
        if event.type == "change_proposed":
            if change in proposed:
                raise EventError(
                    event.position,
                    "change",
                    f"the change '{change}' is proposed twice",
                    "Give each proposal its own change id.",
                )
            proposed.add(change)
        elif change is not None and change not in proposed:
            raise EventError(
                event.position,
                "change",
                f"no earlier change_proposed has the id '{change}'",
                "Propose the change first, or correct the id.",
            )
    for previous, event in pairwise(events):
        if event.date < previous.date:
            raise EventError(
                event.position,
                "date",
                f"{event.date} is earlier than event #{previous.position} ({previous.date})",
                "List events in date order; events on the same day keep their listed order.",
            )
    return events
