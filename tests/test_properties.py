"""Properties of replay over generated event streams, for each of the bundled agreements.

Streams hold sorted, valid events of the five lifecycle types (notices, extension intents and
decisions, reviews, funding decisions) with the agreement's own parties and bodies, dated from
60 days before the term starts to 400 days after the agreement's cap.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iop_engine import Answer, load_library, replay
from iop_engine.law import LAW_DOCS
from iop_engine.model import Agreement
from iop_engine.testing import last_day, last_reachable_day

LIBRARY = load_library()
AGREEMENTS = sorted(LIBRARY)

# Findings that may rest on no clause: the documents' silence, and events outside the term.
UNCITED_CODES = frozenset({"unregulated", "event_outside_term"})

EXAMPLES = settings(max_examples=60, deadline=None)


def event_strategy(agreement: Agreement) -> st.SearchStrategy[dict[str, Any]]:
    """One valid raw event of any of the five types, dated around the agreement's life."""
    first = agreement.term_start - dt.timedelta(days=60)
    last = last_day(agreement) + dt.timedelta(days=400)
    date = st.dates(min_value=first, max_value=last).map(dt.date.isoformat)
    party = st.sampled_from([p.id for p in agreement.parties])
    recipient = st.sampled_from([b.id for b in agreement.bodies] + [p.id for p in agreement.parties])
    flag = st.booleans()

    def event(kind: str, required: dict[str, Any], optional: dict[str, Any]) -> st.SearchStrategy[Any]:
        return st.fixed_dictionaries({"type": st.just(kind), "date": date, **required}, optional=optional)

    return st.one_of(
        event(
            "notice_given",
            {"by": party},
            {"scope": st.sampled_from(["agreement", "own_commitment"]), "to": recipient, "written": flag},
        ),
        event("extension_intent", {"by": party}, {"extend": flag}),
        event("extension_decided", {}, {"extend": flag, "by": recipient}),
        event("review_held", {"outcome": st.sampled_from(["agreed", "not_agreed"])}, {}),
        event(
            "funding_decided",
            {"year": st.integers(min_value=first.year - 1, max_value=last.year + 1), "available": flag},
            {},
        ),
    )


def streams(agreement: Agreement) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Up to 10 events in date order (events of one day keep their generated order)."""
    return st.lists(event_strategy(agreement), max_size=10).map(
        lambda evs: sorted(evs, key=lambda e: e["date"])
    )


def replay_drawn(data: st.DataObject, agreement_id: str) -> tuple[Agreement, Answer]:
    agreement = LIBRARY[agreement_id]
    events = data.draw(streams(agreement), label="events")
    return agreement, replay(agreement, events)


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
@EXAMPLES
@given(data=st.data())
def test_replay_of_a_valid_stream_never_raises(agreement_id: str, data: st.DataObject) -> None:
    """Every valid stream replays to an answer about the agreement it was replayed against."""
    agreement, answer = replay_drawn(data, agreement_id)
    assert agreement.id == answer.agreement
    assert answer.as_of is None


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
@EXAMPLES
@given(data=st.data())
def test_replay_is_deterministic(agreement_id: str, data: st.DataObject) -> None:
    """The same stream replayed twice gives identical answers."""
    agreement = LIBRARY[agreement_id]
    events = data.draw(streams(agreement), label="events")
    assert replay(agreement, events).to_dict() == replay(agreement, events).to_dict()


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
@EXAMPLES
@given(data=st.data())
def test_periods_are_contiguous_from_the_term_start_and_never_pass_the_cap(
    agreement_id: str, data: st.DataObject
) -> None:
    """Periods begin at the term start, each the day after the previous one ends; none passes the cap."""
    agreement = LIBRARY[agreement_id]
    events = data.draw(streams(agreement), label="events")
    periods = replay(agreement, events).periods
    assert agreement.term_start == periods[0].start
    assert [p.end + dt.timedelta(days=1) for p in periods[:-1] if p.end] == [p.start for p in periods[1:]]
    assert all(p.start <= (p.end or p.start) <= last_reachable_day(agreement, events) for p in periods)
    assert all(p.end is not None for p in periods[:-1])


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
@EXAMPLES
@given(data=st.data())
def test_the_end_lies_in_the_last_period_and_no_party_outlasts_it(
    agreement_id: str, data: st.DataObject
) -> None:
    """The end is the last period's end or inside it, and every party's `until` is on or before the end."""
    agreement = LIBRARY[agreement_id]
    events = data.draw(streams(agreement), label="events")
    answer = replay(agreement, events)
    last = answer.periods[-1]
    if answer.end is not None:
        assert last.start <= answer.end <= (last.end or answer.end)
    for party in answer.parties:
        if party.until is not None:
            assert party.until <= last_reachable_day(agreement, events)
            if answer.end is not None:
                assert party.until <= answer.end
    assert [p.id for p in agreement.parties] == [p.id for p in answer.parties]


def _without_whitespace(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
@EXAMPLES
@given(data=st.data())
def test_findings_cite_clauses_quoted_from_the_sources(agreement_id: str, data: st.DataObject) -> None:
    """Findings rest on at least one clause, and every quoted clause occurs in its source document."""
    agreement, answer = replay_drawn(data, agreement_id)
    for finding in answer.findings:
        if finding.code not in UNCITED_CODES:
            assert finding.cites, f"{finding.code} ({', '.join(finding.trace)}) cites no clause"
        for cite in finding.cites:
            if cite.doc in LAW_DOCS:
                continue  # statute text, cited by the engine for every municipal agreement
            source = agreement.document(cite.doc)
            assert source is not None, cite.doc
            assert _without_whitespace(cite.quote) in _without_whitespace(source.text)


@pytest.mark.parametrize("agreement_id", AGREEMENTS)
@EXAMPLES
@given(data=st.data())
def test_no_finding_message_has_an_unfilled_placeholder(agreement_id: str, data: st.DataObject) -> None:
    """No Swedish or English finding message contains a brace left over from its template."""
    _, answer = replay_drawn(data, agreement_id)
    leftovers = [
        text for f in answer.findings for text in (f.message.sv, f.message.en) if "{" in text or "}" in text
    ]
    assert [] == leftovers
