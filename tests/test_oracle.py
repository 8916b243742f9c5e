"""The differential oracle: durable-rules and the reference evaluator must agree on every stream.

Both evaluators interpret the same compiled rules; a divergence is a defect in one of them (or
in the engine's reliance on the inference core). Hypothesis minimises a divergence, and the
failure prints it as a runnable scenario file expecting the reference evaluator's answer.

CI runs a fixed budget per agreement (`IOP_ORACLE_EXAMPLES`, default 25); `scripts/oracle N`
runs N per agreement. The number of streams and events compared is printed at the end.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iop_engine import load_library, replay
from iop_engine.testing import differences, event_streams, scenario_yaml

LIBRARY = load_library()
EXAMPLES = int(os.environ.get("IOP_ORACLE_EXAMPLES", "25"))


@pytest.mark.parametrize("agreement_id", sorted(LIBRARY))
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_inference_core_and_the_reference_evaluator_give_the_same_answer(
    agreement_id: str, data: st.DataObject, oracle_tally: dict[str, int]
) -> None:
    """For a drawn stream of any event types, both evaluators give identical answers."""
    agreement = LIBRARY[agreement_id]
    events = data.draw(event_streams(agreement, min_size=5, max_size=30), label="events")
    found = differences(agreement, events)
    oracle_tally["budget"] = EXAMPLES
    oracle_tally["streams"] += 1
    oracle_tally["events"] += len(events)
    if found:
        expected = replay(agreement, events, evaluate_with="reference")
        name = "The inference core gives the reference evaluator's answer for this stream."
        pytest.fail(
            "The evaluators disagree:\n  "
            + "\n  ".join(found)
            + "\n\nAs a scenario file (expectations from the reference evaluator):\n\n"
            + scenario_yaml(agreement, name, events, expected),
            pytrace=False,
        )


def test_the_oracle_notices_a_divergence(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reference evaluator that drops one rule's activations makes `differences` report them."""
    from iop_engine import reference

    agreement = LIBRARY["stockholm-sof-2026-268"]
    original = reference.ReferenceSession.assert_fact

    def without_renewals(self: reference.ReferenceSession, fact: dict[str, object]) -> list[object]:
        return [a for a in original(self, fact) if a.rule != "renewal.period_end.renew"]  # type: ignore[arg-type]

    monkeypatch.setattr(reference.ReferenceSession, "assert_fact", without_renewals)
    found = differences(agreement, [])
    assert any(line.startswith("only rete: renewed") for line in found)
    assert any(line.startswith("end: rete '2028-12-31'") for line in found)
