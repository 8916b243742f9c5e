"""Dated input events: their types, their fields, and the checks that refuse bad ones.

An event's `date` is the day it took effect for the recipient: a notice counts on the day it
reached the recipient (the sender carries the risk of delay), not the day it was sent.

`parse_events` checks a whole stream before anything is replayed, so a bad event refuses the
stream with a message naming the event's position (1-based) and field; nothing is half-applied.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from itertools import pairwise
from typing import Any, ClassVar, Literal

import attrs

from iop_engine import amend_values
from iop_engine.authority import CHANGE_KINDS
from iop_engine.dates import parse_iso_date
from iop_engine.errors import EventError
from iop_engine.model import Agreement, Fact
from iop_engine.money import ACCEPTED_AMOUNTS, Span, kronor
from iop_engine.vocabulary.agreement import Party
from iop_engine.vocabulary.walk import fact_at, places

Check = Callable[[Any, Agreement], Any]
NEW_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


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


def _new_party(value: Any, agreement: Agreement) -> str:
    known = agreement.party(value) if isinstance(value, str) else None
    if (
        not isinstance(value, str)
        or not NEW_ID.fullmatch(value)
        or (known is not None and not known.admitted)
    ):
        taken = ", ".join(p.id for p in agreement.parties if not p.admitted)
        raise ValueError(
            f"a new id (lower-case letters, digits and hyphens) other than the parties' ({taken})"
        )
    return value


def _name(value: Any, _: Agreement) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("the new party's name")
    return value.strip()


AMENDABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "term.end": ("date", ("term", "term_beyond_cap")),
    "continuation.cap": ("date", ("term", "term_beyond_cap")),
    "continuation.step_months": ("months", ("term",)),
    "termination.period_months": ("months", ("term",)),
    "payments.*.annual_amount": ("kronor", ("budget_frame", "funds_distribution", "compensation")),
    "payments.*.grants.*.amount": ("kronor", ("budget_frame", "funds_distribution", "compensation")),
    "payments.*.schedule": ("schedule", ("funds_distribution", "compensation")),
    "payments.*.due": ("due_rule", ("funds_distribution", "compensation")),
    "payments.*.annex.*": ("annex", ("budget_frame", "funds_distribution", "compensation")),
    "duties.*.what": ("text", ("commitments",)),
    "duties.*.deadline": ("duty_deadline", ("commitments",)),
    "obligations.*.what": ("text", ("commitments",)),
}
"""What a change may amend: a value of the rule file by its place (`*` an item of a list by its id
or year: payments.bidrag.grants.2027.amount), its kind, and the kinds of change (`affects`) that
may amend it. `payments.<id>.annex.<party>` is a party's own annex to a payment stream whose
amounts the annexes set (`per_annex`): its amount per year, schedule and due rule from a day on."""

ANNEX = "annex"


def amendable_places(agreement: Agreement) -> tuple[str, ...]:
    """Every concrete place of `agreement` a change may amend (patterns expanded)."""
    found = [p for pattern in AMENDABLE for p in places(agreement, pattern) if _has_place(agreement, p)]
    annexes = [
        f"payments.{p.id}.{ANNEX}.{payee}"
        for p in agreement.payments
        if p.schedule.value == "per_annex"
        for payee in p.payees
    ]
    return (*found, *annexes)


def amendable(place: str) -> tuple[str, tuple[str, ...]] | None:
    """The kind of value at `place` and the kinds of change that may amend it, if any may."""
    parts = place.split(".")
    for pattern, found in AMENDABLE.items():
        wanted = pattern.split(".")
        if len(wanted) == len(parts) and all(w in ("*", p) for w, p in zip(wanted, parts, strict=True)):
            return found
    return None


def _amends(value: Any, agreement: Agreement) -> dict[str, Any]:
    places = ", ".join(AMENDABLE)
    if not isinstance(value, Mapping) or not value:
        raise ValueError(f"a mapping of what the change amends to its new value, with any of: {places}")
    amended: dict[str, Any] = {}
    for place, new in value.items():
        found = amendable(str(place))
        if found is None or not _has_place(agreement, str(place)):
            raise ValueError(f"values this agreement has that a change may amend: {places}; not {place!r}")
        kind = found[0]
        if kind in PARSERS:
            amended[place] = PARSERS[kind](new)
        elif kind == "kronor":
            amended[place] = kronor(new)
        elif kind == "date":
            if isinstance(new, dt.datetime):
                raise ValueError(f"a day for {place}, without a time of day")
            amended[place] = new if isinstance(new, dt.date) else parse_iso_date(str(new))
        elif isinstance(new, int) and not isinstance(new, bool) and 0 < new <= 240:
            amended[place] = new
        else:
            raise ValueError(f"a number of months (1–240) for {place}")
    return amended


PARSERS: dict[str, Callable[[Any], Any]] = {
    "schedule": amend_values.schedule,
    "due_rule": amend_values.due_rule,
    "duty_deadline": amend_values.duty_deadline,
    "text": amend_values.text,
    "annex": amend_values.annex,
}


def _has_place(agreement: Agreement, place: str) -> bool:
    parts = place.split(".")
    if len(parts) == 4 and parts[0] == "payments" and parts[2] == ANNEX:
        stream = next((p for p in agreement.payments if p.id == parts[1]), None)
        return stream is not None and stream.schedule.value == "per_annex" and parts[3] in stream.payees
    if parts[-1] == "due" and parts[0] == "payments":
        # A stream that divides the year may have its due rule amended (or given, where unregulated).
        stream = next((p for p in agreement.payments if p.id == parts[1]), None)
        return stream is not None and stream.schedule.value in amend_values.SCHEDULES
    return fact_at(agreement, place) is not None


def _annexes(value: Any, agreement: Agreement) -> dict[str, amend_values.Annex]:
    """The admitted party's payments: for each payment stream whose amounts the annexes set, its
    annex."""
    streams = [p.id for p in agreement.payments if p.schedule.value == "per_annex"]
    if not isinstance(value, Mapping) or not value or not set(value) <= set(streams):
        raise ValueError(
            "a mapping of payment streams whose amounts the annexes set "
            f"({', '.join(streams) or 'none'}) to the annex: {{annual_amount, schedule, due}}"
        )
    return {str(k): amend_values.annex(v) for k, v in value.items()}


def _new_duties(value: Any, _: Agreement) -> tuple[amend_values.NewDuty, ...]:
    items = value if isinstance(value, list) else [value]
    duties = tuple(amend_values.new_duty(v) for v in items)
    if len({d.id for d in duties}) != len(duties):
        raise ValueError("commitments with ids of their own")
    return duties


def _day(value: Any, _: Agreement) -> dt.date:
    if isinstance(value, dt.datetime):
        raise ValueError("a day without a time of day")
    return value if isinstance(value, dt.date) else parse_iso_date(str(value))


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
    # A party admitted in the stream may be paid under its own annex (`party_admitted.payments`).
    payees = (*agreement.payees, *(p.id for p in agreement.parties if p.admitted))
    if not isinstance(value, str) or value not in payees:
        raise ValueError(f"a party the agreement pays: {', '.join(payees) or 'none is named'}")
    return value


def _amount(value: Any, _: Agreement) -> Decimal:
    try:
        amount = kronor(value)
    except ValueError:
        raise ValueError(ACCEPTED_AMOUNTS) from None
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


def _condition(value: Any, agreement: Agreement) -> str:
    declared = [c.id for c in agreement.conditions if c.kind == "other"]
    if not isinstance(value, str) or value not in declared:
        raise ValueError(f"a condition of the agreement: {', '.join(declared) or 'none is declared'}")
    return value


def _year(value: Any, _: Agreement) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2200:
        raise ValueError("a year such as 2027")
    return value


def _spec(check: Check, expected: str, *, default: Any = attrs.NOTHING, required: bool | None = None) -> Any:
    """An event field: its check, what it expects (in words), and its default where optional."""
    needed = default is attrs.NOTHING if required is None else required
    meta = {"check": check, "expected": expected, "required": needed}
    return attrs.field(default=None if default is attrs.NOTHING and not needed else default, metadata=meta)


@attrs.frozen
class Event:
    """One validated event; subclasses carry the fields of one event type."""

    position: int
    date: dt.date
    TYPE: ClassVar[str] = ""

    @property
    def type(self) -> str:
        return self.TYPE

    @property
    def fields(self) -> Mapping[str, Any]:
        """The type's fields by name, defaults filled in."""
        return {name: getattr(self, name) for name in _field_names(type(self))}

    def get(self, name: str) -> Any:
        return self.fields.get(name)


def _field_names(cls: type[Event]) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(cls) if "check" in f.metadata)


@attrs.frozen
class NoticeGiven(Event):
    TYPE = "notice_given"
    by: str = _spec(_party, "the party giving notice")
    scope: str = _spec(
        _one_of("agreement", "own_commitment"), "agreement or own_commitment", default="agreement"
    )
    to: str | None = _spec(_body_or_party, "the body or party the notice was given to", required=False)
    written: bool | None = _spec(_bool, "whether the notice was in writing (true/false)", required=False)
    ground: str = _spec(
        _one_of("ordinary", "changed_circumstances"),
        "ordinary, or changed_circumstances (substantially changed circumstances)",
        default="ordinary",
    )


@attrs.frozen
class ExtensionIntent(Event):
    TYPE = "extension_intent"
    by: str = _spec(_party, "the party notifying its intent")
    extend: bool = _spec(_bool, "whether the party intends to extend (true/false)", default=True)


@attrs.frozen
class ExtensionDecided(Event):
    TYPE = "extension_decided"
    extend: bool = _spec(_bool, "whether the extension was decided (true) or refused (false)", default=True)
    by: str | None = _spec(_body_or_party, "the body that decided", required=False)


@attrs.frozen
class ReviewHeld(Event):
    TYPE = "review_held"
    outcome: str = _spec(_one_of("agreed", "not_agreed"), "agreed or not_agreed")


@attrs.frozen
class ChangeEvent(Event):
    """An event about a proposed change, named by the change's id."""

    change: str = _spec(_change_id, "the change's id")


@attrs.frozen
class ChangeProposed(ChangeEvent):
    TYPE = "change_proposed"
    change: str = _spec(_change_id, "an id for the change, e.g. 2026-03")
    affects: tuple[str, ...] = _spec(_kinds, "what the change affects")
    substantial: bool = _spec(_bool, "whether the change is väsentlig (true/false)", default=False)
    party: str | None = _spec(_party, "whose commitments the change concerns", required=False)
    amends: Mapping[str, Any] | None = _spec(
        _amends,
        "what the change amends, {place: new value}, e.g. {continuation.cap: 2029-12-31}",
        required=False,
    )
    effective: dt.date | None = _spec(_day, "the day the amendment is meant to apply from", required=False)


@attrs.frozen
class ChangeDecided(ChangeEvent):
    TYPE = "change_decided"
    by: str = _spec(_body, "the body that decided")
    decision: str = _spec(_one_of("approved", "rejected"), "approved or rejected")


@attrs.frozen
class ChangeSigned(ChangeEvent):
    TYPE = "change_signed"
    by: str = _spec(_party, "the party whose signatory signed")


@attrs.frozen
class ChangeRegistered(ChangeEvent):
    TYPE = "change_registered"


@attrs.frozen
class ChangeImplemented(ChangeEvent):
    TYPE = "change_implemented"


@attrs.frozen
class PaymentMade(Event):
    TYPE = "payment_made"
    to: str = _spec(_payee, "the party paid")
    amount: Decimal = _spec(_amount, "the amount in kronor")
    covers: Span = _spec(_covers, "the period paid for, {from: YYYY-MM-DD, to: YYYY-MM-DD}")


@attrs.frozen
class MisuseFound(Event):
    """Misuse of funds found; `exceptions` answers the agreement's declared exceptions to a
    repayment claim, by id (each true, false or unknown as None). In an event the answers are
    fields named like the exceptions (`due_care: true`)."""

    TYPE = "misuse_found"
    party: str = _spec(_payee, "the party that misused funds")
    amount: Decimal = _spec(_amount, "the amount affected by the misuse, in kronor")
    exceptions: Mapping[str, bool | None] = attrs.field(factory=dict)

    def answer(self, exception: str) -> bool | None:
        return self.exceptions.get(exception)


@attrs.frozen
class DeficiencyFound(Event):
    TYPE = "deficiency_found"
    party: str = _spec(_party, "the party whose commitments fall short")


@attrs.frozen
class ActionPlanRequested(Event):
    TYPE = "action_plan_requested"
    party: str = _spec(_party, "the party asked for an action plan")
    by: str = _spec(_body, "the body that asked")


@attrs.frozen
class ActionPlanFailed(Event):
    TYPE = "action_plan_failed"
    party: str = _spec(_party, "the party whose action plan did not remedy")


@attrs.frozen
class PartyExpelled(Event):
    TYPE = "party_expelled"
    party: str = _spec(_party, "the party expelled")
    by: str = _spec(_body, "the body that decided")


@attrs.frozen
class Rescinded(Event):
    TYPE = "rescinded"
    by: str = _spec(_party, "the party rescinding (hävning)")
    against: str = _spec(_party, "the party that failed its commitments")


@attrs.frozen
class CircumstancesChanged(Event):
    TYPE = "circumstances_changed"


@attrs.frozen
class PartyAdmitted(Event):
    TYPE = "party_admitted"
    party: str = _spec(_new_party, "an id for the new party, used by its later events")
    name: str = _spec(_name, "the new party's name")
    by: str = _spec(_body, "the body that decided")
    payments: Mapping[str, amend_values.Annex] | None = _spec(
        _annexes,
        "the new party's own payments, {payment stream: {annual_amount, schedule, due}}",
        required=False,
    )
    commitments: tuple[amend_values.NewDuty, ...] | None = _spec(
        _new_duties,
        "the new party's own commitments, as the rule file's duties: [{id, kind, what, every, deadline}]",
        required=False,
    )


@attrs.frozen
class RenegotiationRequested(Event):
    TYPE = "renegotiation_requested"
    by: str = _spec(_party, "the party calling for renegotiation (omförhandling)")


@attrs.frozen
class DisputeRaised(Event):
    TYPE = "dispute_raised"
    by: str = _spec(_party, "the party raising the dispute (tvist)")


@attrs.frozen
class ConditionDecided(Event):
    TYPE = "condition_decided"
    condition: str = _spec(_condition, "the id of one of the agreement's conditions (other than funding)")
    met: bool = _spec(_bool, "whether the condition is met (true/false)")


@attrs.frozen
class FundingDecided(Event):
    TYPE = "funding_decided"
    year: int = _spec(_year, "the budget year the decision concerns")
    available: bool = _spec(_bool, "whether funds are available (true/false)")


EVENT_CLASSES: dict[str, type[Event]] = {
    cls.TYPE: cls
    for cls in (
        NoticeGiven,
        ExtensionIntent,
        ExtensionDecided,
        ReviewHeld,
        ChangeProposed,
        ChangeDecided,
        ChangeSigned,
        ChangeRegistered,
        ChangeImplemented,
        PaymentMade,
        MisuseFound,
        DeficiencyFound,
        ActionPlanRequested,
        ActionPlanFailed,
        PartyExpelled,
        Rescinded,
        CircumstancesChanged,
        RenegotiationRequested,
        DisputeRaised,
        PartyAdmitted,
        FundingDecided,
        ConditionDecided,
    )
}

# Each type's fields as `FieldSpec`s, in declaration order: what forms and messages read.
EVENT_TYPES: dict[str, tuple[FieldSpec, ...]] = {
    name: tuple(
        FieldSpec(
            f.name,
            f.metadata["check"],
            f.metadata["expected"],
            f.metadata["required"],
            None if f.default is attrs.NOTHING else f.default,
        )
        for f in attrs.fields(cls)
        if "check" in f.metadata
    )
    for name, cls in EVENT_CLASSES.items()
}

RESERVED = ("type", "date", "note", "dnr")

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
    _condition: "condition",
    _change_id: "text",
    _amends: "amendments",
    _day: "date",
    _new_party: "text",
    _name: "text",
    _kinds: "change_kinds",
    _annexes: "annexes",
    _new_duties: "commitments",
}


def event_fields(agreement: Agreement, kind: str) -> tuple[FieldSpec, ...]:
    """The fields an event of `kind` has under `agreement`: the type's own, and for a misuse
    finding one answer per exception the agreement declares to a repayment claim."""
    specs = EVENT_TYPES[kind]
    if kind != MisuseFound.TYPE:
        return specs
    misuse = agreement.repayment.misuse if agreement.repayment else None
    answers = tuple(
        FieldSpec(
            x.id,
            _known_or_unknown,
            f"whether the exception applies ({x.en}): true, false or unknown",
            required=False,
        )
        for x in (misuse.exceptions if misuse else ())
    )
    return specs + answers


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
            position,
            "type",
            f"unknown event type {kind!r}",
            f"Use one of: {', '.join(sorted(EVENT_TYPES))}.",
            reason="unknown_type",
            value=kind,
        )
    date_raw = raw.get("date")
    if date_raw is None:
        raise EventError(
            position, "date", "the event has no date", "Add `date: YYYY-MM-DD`.", reason="missing"
        )
    if isinstance(date_raw, dt.datetime):
        raise EventError(
            position,
            "date",
            f"{date_raw} has a time of day",
            "Give the day only, as YYYY-MM-DD: the agreements count days, not hours.",
            reason="date",
            value=date_raw,
        )
    try:
        date = date_raw if isinstance(date_raw, dt.date) else parse_iso_date(str(date_raw))
    except ValueError as error:
        raise EventError(
            position, "date", str(error), "Give a real date as YYYY-MM-DD.", reason="date", value=date_raw
        ) from None
    specs = event_fields(agreement, kind)
    allowed = {s.name for s in specs} | set(RESERVED)
    for key in raw:
        if key not in allowed:
            raise EventError(
                position,
                str(key),
                f"'{key}' is not a field of {kind}",
                f"Fields of {kind}: {', '.join(s.name for s in specs)}.",
                reason="unknown_field",
            )
    fields: dict[str, Any] = {}
    for spec in specs:
        if spec.name not in raw or raw[spec.name] is None:
            if spec.required:
                raise EventError(
                    position,
                    spec.name,
                    f"{kind} needs '{spec.name}'",
                    f"Add {spec.name}: {spec.expected}.",
                    reason="missing",
                )
            fields[spec.name] = spec.default
            continue
        try:
            fields[spec.name] = spec.check(raw[spec.name], agreement)
        except ValueError as error:
            raise EventError(
                position,
                spec.name,
                f"{raw[spec.name]!r} is not valid",
                f"Expected {error}.",
                reason="invalid",
                value=raw[spec.name],
            ) from None
    static = {s.name for s in EVENT_TYPES[kind]}
    answers = {k: v for k, v in fields.items() if k not in static}
    own = {k: v for k, v in fields.items() if k in static}
    if kind == MisuseFound.TYPE:
        return MisuseFound(position, date, exceptions=answers, **own)
    return EVENT_CLASSES[kind](position, date, **own)


def with_admitted(agreement: Agreement, raws: Sequence[Any]) -> Agreement:
    """The agreement with every party a `party_admitted` event in the stream names (raw or
    parsed), marked `admitted`: later events may name it. Whether it really joins, and from
    when, is the replay's to decide."""
    added: dict[str, str] = {}
    for raw in raws:
        fields = {**raw.fields, "type": raw.type} if isinstance(raw, Event) else raw
        if isinstance(fields, Mapping) and fields.get("type") == PartyAdmitted.TYPE:
            party, name = fields.get("party"), fields.get("name")
            if isinstance(party, str) and agreement.party(party) is None and party not in added:
                added[party] = name if isinstance(name, str) else party
    if not added:
        return agreement
    idea = Fact[Literal["public", "idea"]]("idea")
    new = tuple(
        Party(id=i, name=n, sector=idea, organisationsnummer=Fact[str](None), admitted=True)
        for i, n in added.items()
    )
    return attrs.evolve(agreement, parties=agreement.parties + new)


def _amends_within(event: ChangeProposed) -> None:
    """A change amends only what the kinds of change it declares may amend, so that the approvals
    it needs are those of what it really changes."""
    for place in event.amends or {}:
        found = amendable(place)
        assert found is not None  # checked with the field
        kinds = found[1]
        if not set(kinds) & set(event.affects):
            raise EventError(
                event.position,
                "affects",
                f"the change amends {place}, which a change of {', '.join(event.affects)} cannot",
                f"Say that it affects {' or '.join(kinds)}, so it gets the approvals such a change needs.",
                reason="amends_kind",
                value=place,
            )


def parse_events(raws: Sequence[Any], agreement: Agreement) -> tuple[Event, ...]:
    """Check a whole stream: every event valid, and dates never going backwards. A party a
    `party_admitted` event in the stream adds may be named by the stream's events."""
    agreement = with_admitted(agreement, raws)
    events = tuple(parse_event(raw, i, agreement) for i, raw in enumerate(raws, start=1))
    proposed: set[str] = set()
    for event in events:
        change = event.get("change")
        if isinstance(event, ChangeProposed) and event.amends:
            _amends_within(event)
        if event.type == "change_proposed":
            if change in proposed:
                raise EventError(
                    event.position,
                    "change",
                    f"the change '{change}' is proposed twice",
                    "Give each proposal its own change id.",
                    reason="change_twice",
                    value=change,
                )
            proposed.add(change)
        elif change is not None and change not in proposed:
            raise EventError(
                event.position,
                "change",
                f"no earlier change_proposed has the id '{change}'",
                "Propose the change first, or correct the id.",
                reason="change_unknown",
                value=change,
            )
    for previous, event in pairwise(events):
        if event.date < previous.date:
            raise EventError(
                event.position,
                "date",
                f"{event.date} is earlier than event #{previous.position} ({previous.date})",
                "List events in date order; events on the same day keep their listed order.",
                reason="order",
                value=previous.date,
            )
    return events
