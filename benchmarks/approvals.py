"""Benchmark: latency of "who must approve this change?" answered in process.

Run: .venv/bin/python benchmarks/approvals.py [--questions N]
Prints p50 / p99 / max in microseconds per question over N questions (default 100,000) drawn
round-robin from every combination of agreement, affected kinds and substantial, on agreements
loaded once: as served (`approvals` keeps an answer once computed) and computed afresh
(`computed_*`, `compute_approvals`). Figures vary with the machine; compare them within one run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import statistics
import time
from collections.abc import Callable, Mapping

from iop_engine import load_library
from iop_engine.authority import CHANGE_KINDS, Change, approvals, compute_approvals
from iop_engine.model import Agreement


def every_question(library: Mapping[str, Agreement]) -> list[tuple[Agreement, Change]]:
    """Every agreement x one to three affected kinds x substantial or not."""
    return [
        (library[agreement], Change(kinds, substantial))
        for agreement in sorted(library)
        for size in (1, 2, 3)
        for kinds in itertools.combinations(CHANGE_KINDS, size)
        for substantial in (False, True)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100_000)
    args = parser.parse_args()
    questions = every_question(load_library())
    computed = latencies(compute_approvals, questions, args.questions)
    served = latencies(approvals, questions, args.questions)
    result = {
        "benchmark": "approvals",
        "questions": args.questions,
        **{f"{k}_us": v for k, v in served.items()},
        **{f"computed_{k}_us": v for k, v in computed.items()},
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
    }
    print(json.dumps(result))


def latencies(
    ask: Callable[[Agreement, Change], object], questions: list[tuple[Agreement, Change]], count: int
) -> dict[str, float]:
    """p50, p99, max and mean in microseconds of `count` questions asked round-robin: as served
    (`approvals`, answers kept after the first time) or computed afresh every time."""
    samples: list[float] = []
    clock = time.perf_counter_ns
    for agreement, change in itertools.islice(itertools.cycle(questions), count):
        start = clock()
        ask(agreement, change)
        samples.append((clock() - start) / 1000)
    samples.sort()
    return {
        "p50": round(samples[len(samples) // 2], 1),
        "p99": round(samples[int(len(samples) * 0.99)], 1),
        "max": round(samples[-1], 1),
        "mean": round(statistics.fmean(samples), 1),
    }


if __name__ == "__main__":
    main()
