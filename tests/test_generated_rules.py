"""Properties of generated rule files (`iop_engine.rulegen`): what holds for the bundled agreements
must hold for any valid rule file.

Each generated file is written with its source document into a temporary folder and loaded; a
failing example notes the rule file's text (and the events drawn). The timeline (the replay of
no events) is tested apart from drawn streams, so that a file whose timeline fails shrinks to a
rule file alone. CI runs a small budget per property (`IOP_GENERATED_EXAMPLES`, default 10; the
differential oracle `IOP_GENERATED_ORACLE_EXAMPLES`, default 4); set them higher to search
longer, e.g. `IOP_GENERATED_EXAMPLES=300 pytest tests/test_generated_rules.py`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from iop_engine import Answer, load_agreement, replay
from iop_engine.lint import lint_file
from iop_engine.model import Agreement
from iop_engine.render import agreement_text
from iop_engine.rulegen import GeneratedRules, long_horizon_rules, long_horizon_stream, rule_files
from iop_engine.testing import differences, event_streams

EXAMPLES = int(os.environ.get("IOP_GENERATED_EXAMPLES", "10"))
ORACLE_EXAMPLES = int(os.environ.get("IOP_GENERATED_ORACLE_EXAMPLES", "4"))
BUDGET = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def load(generated: GeneratedRules) -> Agreement:
    """The generated agreement, loaded from a temporary folder (its text noted for a failure)."""
    note(f"The rule file:\n{generated.yaml}")
    with tempfile.TemporaryDirectory() as folder:
        return load_agreement(generated.write(Path(folder)))


def drawn_stream(agreement: Agreement, data: st.DataObject, max_size: int = 12) -> list[dict[str, Any]]:
    return data.draw(event_streams(agreement, max_size=max_size), label="events")


def latest_cap(
    agreement: Agreement, answer: Answer, events: Sequence[Mapping[str, Any]] = ()
) -> dt.date | None:
    """The latest cap the agreement has: its own, a dated version's, or one an amendment the
    answer applied set (a fixed term's cap is its end)."""
    caps = [agreement.cap, *(agreement.as_of(v.valid_from).cap for v in agreement.versions)]
    applied = {f.data.get("change") for f in answer.findings if f.code == "amendment_applied"}
    for e in events:
        if e["type"] == "change_proposed" and e["change"] in applied:
            caps += [
                dt.date.fromisoformat(str(v))
                for k, v in e["amends"].items()
                if k in ("continuation.cap", "term.end")
            ]
    known = [c for c in caps if c is not None]
    return max(known) if known and agreement.cap is not None else None


def period_problems(
    agreement: Agreement, answer: Answer, events: Sequence[Mapping[str, Any]] = ()
) -> list[str]:
    """Where the answer's periods do not begin at the term's start, leave a gap or overlap, or
    end after the cap (the latest one its versions and the stream's amendments give)."""
    periods = answer.periods
    out = []
    if not periods or periods[0].start != agreement.term_start:
        out.append(f"the first period does not begin on the term's start {agreement.term_start}")
    for before, after in itertools.pairwise(periods):
        if before.end is None or before.end + dt.timedelta(days=1) != after.start:
            out.append(f"the period from {after.start} does not follow the one ending {before.end}")
    cap = latest_cap(agreement, answer, events)
    out += [f"a period ends {p.end}, after the cap {cap}" for p in periods if cap and p.end and p.end > cap]
    return out


def unfilled_messages(answer: Answer) -> list[str]:
    return [
        f"{f.code}: {text}"
        for f in answer.findings
        for text in (f.message.sv, f.message.en)
        if "{" in text or "}" in text
    ]


@BUDGET
@given(generated=rule_files())
def test_every_generated_file_loads_and_lints_clean(generated: GeneratedRules) -> None:
    """Every generated rule file loads, and lint finds every quote in its source document."""
    note(f"The rule file:\n{generated.yaml}\nIts source document:\n{generated.source}")
    with tempfile.TemporaryDirectory() as folder:
        report = lint_file(generated.write(Path(folder)))
    assert [] == [str(problem) for problem in report.errors]
    assert report.citations > 0


@BUDGET
@given(generated=rule_files())
def test_the_timeline_of_a_generated_file_replays_the_same_twice(generated: GeneratedRules) -> None:
    """The replay of no events (the timeline) runs without an error, twice to the same answer."""
    agreement = load(generated)
    assert replay(agreement, []).to_dict() == replay(agreement, []).to_dict()


@BUDGET
@given(generated=rule_files(), data=st.data())
def test_a_drawn_stream_of_a_generated_file_replays_the_same_twice(
    generated: GeneratedRules, data: st.DataObject
) -> None:
    """A drawn valid stream replays without an error, twice to the same answer."""
    agreement = load(generated)
    events = drawn_stream(agreement, data)
    assert replay(agreement, events).to_dict() == replay(agreement, events).to_dict()


@BUDGET
@given(generated=rule_files(), data=st.data())
def test_periods_of_a_generated_file_follow_each_other_and_never_pass_the_cap(
    generated: GeneratedRules, data: st.DataObject
) -> None:
    """In the timeline and a drawn stream, each period begins the day after the previous one
    ends, the first on the term's start, and none ends after the cap."""
    agreement = load(generated)
    assert [] == period_problems(agreement, replay(agreement, []))
    events = drawn_stream(agreement, data)
    assert [] == period_problems(agreement, replay(agreement, events), events)


@BUDGET
@given(generated=rule_files(), data=st.data())
def test_findings_and_the_agreement_of_a_generated_file_render(
    generated: GeneratedRules, data: st.DataObject
) -> None:
    """Every finding's Swedish and English message is filled in, and the agreement renders in both."""
    agreement = load(generated)
    for lang in ("sv", "en"):
        assert agreement.title in agreement_text(agreement, lang)
    assert [] == unfilled_messages(replay(agreement, []))
    assert [] == unfilled_messages(replay(agreement, drawn_stream(agreement, data)))


@settings(BUDGET, max_examples=ORACLE_EXAMPLES)
@given(generated=rule_files(), data=st.data())
def test_both_evaluators_give_a_generated_file_the_same_answer(
    generated: GeneratedRules, data: st.DataObject
) -> None:
    """The inference core and the reference evaluator agree on a drawn stream of a generated file."""
    agreement = load(generated)
    events = data.draw(event_streams(agreement, min_size=5, max_size=30), label="events")
    assert [] == differences(agreement, events)


def test_the_reference_evaluator_follows_an_open_ended_monthly_agreement_over_a_long_horizon() -> None:
    """A 30-event stream over ten years of a renewing, monthly paying agreement replays with the
    reference evaluator (its cost: see the report; no timing is asserted)."""
    with tempfile.TemporaryDirectory() as folder:
        agreement = load_agreement(long_horizon_rules().write(Path(folder)))
    events = long_horizon_stream(agreement)
    assert 30 == len(events)
    answer = replay(agreement, events, evaluate_with="reference")
    assert answer.end is None
    assert len(answer.periods) > 10
