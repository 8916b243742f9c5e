"""Measuring tools the benchmark suite shares: clocks, percentiles, RSS, and the raw floor.

The raw floor is durable-rules doing the least work the engine's facts can ask of it: the same
facts, asserted through the same adapter (explicit ids, sentinel field, one session, deleted at
the end), into a minimal rule book with one single-pattern rule per fact type, so every fact is
stored and fires one action. What the engine spends beyond that is its own overhead.
"""

from __future__ import annotations

import array
import hashlib
import statistics
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from iop_engine.inference import RuleBook, Scalar
from iop_engine.rete import Rule, Session, core

Fact = Mapping[str, Scalar]


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident set size in MB (Linux); `VmHWM` for its peak so far (a forked
    child's peak starts at its size when forked)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def median_seconds(
    func: Callable[[], object], budget: float, min_runs: int = 3, max_runs: int = 500
) -> float:
    """The median wall time of `func()`, run until `budget` seconds are spent (within the run
    counts): the median, because the machine is shared and a neighbour's burst is an outlier."""
    times: list[float] = []
    spent = 0.0
    while len(times) < min_runs or (spent < budget and len(times) < max_runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
        spent += times[-1]
    return statistics.median(times)


class Latencies:
    """Per-call latencies in a preallocated array, so recording them does not grow the heap."""

    def __init__(self, size: int) -> None:
        self.samples = array.array("d", bytes(8 * size))
        self.count = 0

    def time(self, func: Callable[[], object]) -> None:
        start = time.perf_counter_ns()
        func()
        self.samples[self.count] = (time.perf_counter_ns() - start) / 1000
        self.count += 1

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.samples[: self.count])
        return {
            "p50_us": round(ordered[len(ordered) // 2], 1),
            "p99_us": round(ordered[int(len(ordered) * 0.99)], 1),
            "max_us": round(ordered[-1], 1),
            "mean_us": round(statistics.fmean(ordered), 1),
        }


class CountingEvaluator:
    """The durable-rules evaluator, keeping the last session to read its fact count."""

    def __init__(self) -> None:
        self.last: Session | None = None

    def session(self, book: RuleBook) -> Session:
        self.last = core().session(book)
        return self.last

    def facts(self) -> int:
        return self.last.facts if self.last else 0


class RecordingEvaluator:
    """The durable-rules evaluator, keeping a copy of every fact the engine asserts (for the
    raw floor) and the highest event position it reached (to say where a replay stopped)."""

    def __init__(self) -> None:
        self.facts: list[dict[str, Scalar]] = []
        self.last_position = 0

    @contextmanager
    def session(self, book: RuleBook) -> Iterator[_RecordingSession]:
        with core().session(book) as inner:
            yield _RecordingSession(inner, self)


class _RecordingSession:
    def __init__(self, inner: Session, owner: RecordingEvaluator) -> None:
        self.inner = inner
        self.owner = owner

    def assert_fact(self, fact: Fact) -> Any:
        if str(fact.get("t", "")).startswith("ev_"):
            self.owner.last_position = int(fact["pos"])
        fired = self.inner.assert_fact(fact)
        self.owner.facts.append(dict(fact))
        return fired


def floor_book(facts: Sequence[Fact]) -> RuleBook:
    """One single-pattern rule per fact type in `facts`, named after the set of types so that
    each distinct set is registered once per process."""
    types = sorted({str(f["t"]) for f in facts})
    digest = hashlib.sha1(",".join(types).encode()).hexdigest()[:12]
    rules = tuple(Rule(f"floor_{i}", (("m", {"t": t}),)) for i, t in enumerate(types))
    return RuleBook(f"bench_floor_{digest}", rules)


def assert_raw(book: RuleBook, facts: Sequence[Fact]) -> None:
    with core().session(book) as session:
        for fact in facts:
            session.assert_fact(fact)
