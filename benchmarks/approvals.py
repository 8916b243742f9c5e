"""Benchmark: latency of "who must approve this change?" answered in process.

Run: .venv/bin/python benchmarks/approvals.py [--questions N]
Prints p50 / p99 / max in microseconds per question over N questions (default 100,000) drawn
round-robin from every combination of agreement, affected kinds and substantial, on agreements
loaded once. Figures vary with the machine; compare them within one run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import statistics
import time
from collections.abc import Mapping

from iop_engine import load_library
from iop_engine.authority import CHANGE_KINDS, Change, approvals
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
    samples: list[float] = []
    clock = time.perf_counter_ns
    for agreement, change in itertools.islice(itertools.cycle(questions), args.questions):
        start = clock()
        approvals(agreement, change)
        samples.append((clock() - start) / 1000)
    samples.sort()
    result = {
        "benchmark": "approvals",
        "questions": len(samples),
        "p50_us": round(samples[len(samples) // 2], 1),
        "p99_us": round(samples[int(len(samples) * 0.99)], 1),
        "max_us": round(samples[-1], 1),
        "mean_us": round(statistics.fmean(samples), 1),
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
