"""parse_events: a bad event refuses the stream with its position and field; a good one gets defaults."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from iop_engine import EventError, load_library, parse_events
from iop_engine.model import Agreement

LIBRARY = load_library()
SOF_268 = LIBRARY["stockholm-sof-2026-268"]
SOF_144 = LIBRARY["stockholm-sof-2025-144"]

REVIEW = {"type": "review_held", "date": "2026-07-01", "outcome": "agreed"}


def refusal(events: list[Any], agreement: Agreement = SOF_268) -> EventError:
    with pytest.raises(EventError) as caught:
        parse_events(events, agreement)
    return caught.value


@pytest.mark.parametrize(
    ("events", "position", "field", "problem"),
    [
        (
            [{"type": "notice_sent", "date": "2026-07-01", "by": "fralsningsarmen"}],
            1,
            "type",
            "unknown event type 'notice_sent'",
        ),
        (
            [REVIEW, {"type": "notice_given", "date": "2026-07-01", "by": "röda-korset"}],
            2,
            "by",
            "'röda-korset' is not valid",
        ),
        ([{"type": "review_held", "date": "2026-07-01"}], 1, "outcome", "review_held needs 'outcome'"),
        (
            [{"type": "notice_given", "date": "2026-07-01"}],
            1,
            "by",
            "notice_given needs 'by'",
        ),
        (
            [REVIEW, REVIEW, {"type": "review_held", "date": "2026-02-30", "outcome": "agreed"}],
            3,
            "date",
            "'2026-02-30' is not a real calendar date",
        ),
        ([{"type": "review_held", "date": "1 juli 2026", "outcome": "agreed"}], 1, "date", "YYYY-MM-DD"),
        ([{"type": "review_held", "outcome": "agreed"}], 1, "date", "the event has no date"),
        (
            [{"type": "notice_given", "date": "2026-07-01", "by": "fralsningsarmen", "reason": "budget"}],
            1,
            "reason",
            "'reason' is not a field of notice_given",
        ),
        (
            [
                {
                    "type": "notice_given",
                    "date": "2026-07-01",
                    "by": "fralsningsarmen",
                    "to": "kommunfullmäktige",
                }
            ],
            1,
            "to",
            "'kommunfullmäktige' is not valid",
        ),
        (
            [{"type": "notice_given", "date": "2026-07-01", "by": "fralsningsarmen", "written": "ja"}],
            1,
            "written",
            "'ja' is not valid",
        ),
        (
            [{"type": "notice_given", "date": "2026-07-01", "by": "fralsningsarmen", "scope": "everything"}],
            1,
            "scope",
            "'everything' is not valid",
        ),
        (
            [{"type": "review_held", "date": "2026-07-01", "outcome": "maybe"}],
            1,
            "outcome",
            "'maybe' is not valid",
        ),
        (
            [{"type": "funding_decided", "date": "2026-07-01", "year": 1800, "available": False}],
            1,
            "year",
            "1800 is not valid",
        ),
        (
            [{"type": "funding_decided", "date": "2026-07-01", "year": 2027, "available": 0}],
            1,
            "available",
            "0 is not valid",
        ),
        (
            [{"type": "funding_decided", "date": "2026-07-01", "year": True, "available": False}],
            1,
            "year",
            "True is not valid",
        ),
        ([{"type": ["review_held"], "date": "2026-07-01"}], 1, "type", "unknown event type"),
        ([{"type": {"a": 1}, "date": "2026-07-01"}], 1, "type", "unknown event type"),
        (
            [{"type": "review_held", "date": dt.datetime(2026, 7, 1, 9, 30), "outcome": "agreed"}],
            1,
            "date",
            "has a time of day",
        ),
    ],
    ids=[
        "unknown-type",
        "unknown-party",
        "missing-outcome",
        "missing-by",
        "impossible-date",
        "unreadable-date",
        "missing-date",
        "unknown-field",
        "unknown-recipient",
        "written-not-bool",
        "unknown-scope",
        "unknown-outcome",
        "year-out-of-range",
        "available-not-bool",
        "year-is-bool",
        "type-is-a-list",
        "type-is-a-mapping",
        "date-with-time",
    ],
)
def test_a_bad_event_is_refused_naming_its_position_and_field(
    events: list[Any], position: int, field: str, problem: str
) -> None:
    """The error names the bad event's 1-based position and field, and says what is wrong."""
    error = refusal(events)
    assert (position, field) == (error.position, error.field)
    assert str(error).startswith(f"event #{position}, field '{field}': ")
    assert problem in str(error)


def test_a_refusal_says_what_to_write_instead() -> None:
    """An unknown party's message lists the agreement's parties; an unknown type's lists the types."""
    party = refusal([{"type": "notice_given", "date": "2026-07-01", "by": "röda-korset"}])
    assert "stockholms-stad, fralsningsarmen" in str(party)
    kind = refusal([{"type": "notice_sent", "date": "2026-07-01"}])
    for known in ("notice_given", "extension_intent", "extension_decided", "review_held", "funding_decided"):
        assert known in str(kind)


@pytest.mark.parametrize("raw", ["review_held 2026-07-01", ["review_held", "2026-07-01"], None, 7])
def test_an_event_that_is_not_a_mapping_is_refused(raw: Any) -> None:
    """A non-mapping event is refused with its position and no field."""
    error = refusal([REVIEW, raw])
    assert (2, None) == (error.position, error.field)
    assert str(error).startswith("event #2: an event must be a mapping")


def test_events_out_of_date_order_are_refused_at_the_later_event() -> None:
    """An event dated before its predecessor is refused at its own position, naming the one before."""
    events = [
        REVIEW,
        {"type": "review_held", "date": "2026-08-01", "outcome": "agreed"},
        {"type": "review_held", "date": "2026-07-15", "outcome": "not_agreed"},
    ]
    error = refusal(events)
    assert (3, "date") == (error.position, error.field)
    assert "2026-07-15 is earlier than event #2 (2026-08-01)" in str(error)


def test_the_first_bad_event_is_reported() -> None:
    """With several bad events the stream is refused at the first one."""
    events = [
        REVIEW,
        {"type": "review_held", "date": "2026-07-01"},
        {"type": "nonsense", "date": "2026-07-01"},
    ]
    assert 2 == refusal(events).position


def test_events_on_the_same_day_keep_their_listed_order() -> None:
    """Equal dates are in order; the events keep the order and positions they were listed with."""
    events = [
        {"type": "review_held", "date": "2026-07-01", "outcome": "not_agreed"},
        {"type": "review_held", "date": "2026-07-01", "outcome": "agreed"},
    ]
    parsed = parse_events(events, SOF_268)
    assert [(1, "not_agreed"), (2, "agreed")] == [(e.position, e.get("outcome")) for e in parsed]


def test_a_valid_stream_parses_with_defaults_filled() -> None:
    """Every type parses; notice scope defaults to 'agreement', extend to True, optional fields to None."""
    events = [
        {"type": "notice_given", "date": "2025-06-01", "by": "convictus"},
        {"type": "extension_intent", "date": "2025-07-01", "by": "stockholms-stad"},
        {"type": "extension_decided", "date": "2025-08-01"},
        {"type": "review_held", "date": "2025-09-01", "outcome": "not_agreed"},
        {"type": "funding_decided", "date": "2025-10-01", "year": 2026, "available": False, "note": "budget"},
    ]
    parsed = parse_events(events, SOF_144)
    assert [
        (
            1,
            "notice_given",
            dt.date(2025, 6, 1),
            {"by": "convictus", "scope": "agreement", "to": None, "written": None, "ground": "ordinary"},
        ),
        (2, "extension_intent", dt.date(2025, 7, 1), {"by": "stockholms-stad", "extend": True}),
        (3, "extension_decided", dt.date(2025, 8, 1), {"extend": True, "by": None}),
        (4, "review_held", dt.date(2025, 9, 1), {"outcome": "not_agreed"}),
        (5, "funding_decided", dt.date(2025, 10, 1), {"year": 2026, "available": False}),
    ] == [(e.position, e.type, e.date, dict(e.fields)) for e in parsed]


def test_given_values_override_the_defaults() -> None:
    """Explicit scope, recipient, form and extend values are kept as given."""
    events = [
        {
            "type": "notice_given",
            "date": "2025-06-01",
            "by": "convictus",
            "scope": "own_commitment",
            "to": "styrgrupp",
            "written": True,
        },
        {"type": "extension_intent", "date": "2025-07-01", "by": "convictus", "extend": False},
        {"type": "extension_decided", "date": "2025-08-01", "extend": False, "by": "socialnamnden"},
    ]
    parsed = parse_events(events, SOF_144)
    assert [
        {
            "by": "convictus",
            "scope": "own_commitment",
            "to": "styrgrupp",
            "written": True,
            "ground": "ordinary",
        },
        {"by": "convictus", "extend": False},
        {"extend": False, "by": "socialnamnden"},
    ] == [dict(e.fields) for e in parsed]


def test_a_date_object_is_accepted_as_well_as_a_string() -> None:
    """A `datetime.date` (as YAML loaders produce) is taken as the event's date."""
    parsed = parse_events(
        [{"type": "review_held", "date": dt.date(2026, 7, 1), "outcome": "agreed"}], SOF_268
    )
    assert dt.date(2026, 7, 1) == parsed[0].date


@pytest.mark.parametrize("agreement_id", sorted(LIBRARY))
def test_parties_and_bodies_are_those_of_the_agreement(agreement_id: str) -> None:
    """Every party of an agreement may give notice, to any of its bodies; an empty stream is valid."""
    agreement = LIBRARY[agreement_id]
    body = agreement.bodies[0].id
    events = [
        {"type": "notice_given", "date": "2026-07-01", "by": p.id, "to": body} for p in agreement.parties
    ]
    assert [p.id for p in agreement.parties] == [e.get("by") for e in parse_events(events, agreement)]
    assert () == parse_events([], agreement)
