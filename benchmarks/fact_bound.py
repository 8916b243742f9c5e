"""What one durable-rules session costs beyond the adapter's bound of 4,000 facts.

An experiment, not a use of the engine: each measurement runs in a forked child (so its RSS is
its own and nothing leaks into the caller) that lifts `rete.MAX_FACTS_PER_SESSION` for itself
only, then asserts facts through the adapter as usual. It answers two questions the bound
raises: how memory and per-fact cost grow with facts in one session, and what a 10,000-event
replay costs if it is allowed to run.
"""

from __future__ import annotations

import time
from typing import Any

from measure import CountingEvaluator, RecordingEvaluator, rss_mb
from streams import synthetic_stream

from iop_engine import rete
from iop_engine.inference import RuleBook
from iop_engine.isolation import run_isolated
from iop_engine.model import Agreement
from iop_engine.replay import replay

# A proposal/decision join like the engine's change rules, and a single-pattern rule for payments.
JOIN_BOOK = RuleBook(
    "bench_bound_join",
    (
        rete.Rule("paid", (("m", {"t": "payment"}),)),
        rete.Rule("proposed", (("p", {"t": "proposal"}),)),
        rete.Rule(
            "decided",
            (("p", {"t": "proposal"}), ("d", {"$and": [{"t": "decision"}, {"change": {"p": "change"}}]})),
        ),
    ),
)
WINDOW = 1000  # facts timed at the start and at the end of a session


def _fact(i: int) -> dict[str, rete.Scalar]:
    kind = ("payment", "proposal", "decision")[i % 3]
    return {"t": kind, "change": f"C{i // 3}", "day": 740_000 + i // 10, "amount": str(i)}


def _session_growth(facts: int) -> dict[str, Any]:
    rete.MAX_FACTS_PER_SESSION = facts  # this child only: the experiment is what lies beyond
    rete.core().register(JOIN_BOOK)
    before = rss_mb()
    times: list[float] = []
    error = None
    with rete.core().session(JOIN_BOOK) as session:
        try:
            for i in range(facts):
                start = time.perf_counter()
                session.assert_fact(_fact(i))
                times.append(time.perf_counter() - start)
        except rete.EngineError as failure:
            error = f"after {len(times)} facts: {failure}"
        held = rss_mb("VmHWM")
    window = min(WINDOW, len(times))
    return {
        "facts": facts,
        "asserted": len(times),
        "error": error,
        "rss_growth_mb": round(held - before, 1),
        "kb_per_fact": round((held - before) * 1024 / max(len(times), 1), 2),
        "rss_after_delete_mb": round(rss_mb() - before, 1),
        "first_us_per_fact": round(sum(times[:window]) / window * 1e6, 1),
        "last_us_per_fact": round(sum(times[-window:]) / window * 1e6, 1),
    }


def _engine_at(agreement: Agreement, length: int, seed: int) -> dict[str, Any]:
    rete.MAX_FACTS_PER_SESSION = 10**6
    events = synthetic_stream(agreement, length, seed)
    replay(agreement, events[:10])  # compiles and registers the rule book outside the timing
    evaluator = CountingEvaluator()
    before = rss_mb()
    start = time.perf_counter()
    replay(agreement, events, evaluate_with=evaluator)
    elapsed = time.perf_counter() - start
    return {
        "agreement": agreement.id,
        "events": length,
        "facts": evaluator.facts(),
        "us_per_event": round(elapsed / length * 1e6, 1),
        "peak_rss_growth_mb": round(rss_mb("VmHWM") - before, 1),
        "rss_after_mb": round(rss_mb() - before, 1),
    }


def _where_it_stops(agreement: Agreement, length: int, seed: int, bound: int) -> dict[str, Any]:
    rete.MAX_FACTS_PER_SESSION = bound
    recorder = RecordingEvaluator()
    try:
        replay(agreement, synthetic_stream(agreement, length, seed), evaluate_with=recorder)
    except rete.EngineError as error:
        return {
            "agreement": agreement.id,
            "bound": bound,
            "stopped_at_event": recorder.last_position,
            "facts": len(recorder.facts),
            "error": str(error),
        }
    return {"agreement": agreement.id, "bound": bound, "stopped_at_event": None, "facts": len(recorder.facts)}


def session_growth(facts: int) -> dict[str, Any]:
    """RSS and per-fact time for `facts` facts in one session, in a fresh child."""
    return run_isolated(_session_growth, facts, what="fact-bound experiment")


def engine_at(agreement: Agreement, length: int, seed: int) -> dict[str, Any]:
    """One `length`-event replay with the bound lifted, in a fresh child."""
    return run_isolated(_engine_at, agreement, length, seed, what="fact-bound experiment")


def where_it_stops(agreement: Agreement, length: int, seed: int, bound: int) -> dict[str, Any]:
    """Where a `length`-event stream stops under a bound of `bound` facts, in a fresh child."""
    return run_isolated(_where_it_stops, agreement, length, seed, bound, what="fact-bound experiment")
