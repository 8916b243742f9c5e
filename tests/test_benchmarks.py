"""The benchmark suite runs end to end and writes its figures (`benchmarks/suite.py`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SECTIONS = {
    "machine",
    "mix_per_100_events",
    "throughput",
    "scaling",
    "approval_latency",
    "timeline_latency",
    "memory",
    "portfolio",
    "fact_bound",
    "long_horizon",
    "goals",
    "seconds",
}


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("bench") / "figures.json"
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "suite.py"), "--tiny", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "goals:" in done.stdout
    return dict(json.loads(out.read_text()))


def test_the_tiny_suite_writes_every_section(tiny_run: dict[str, Any]) -> None:
    """`suite.py --tiny --out FILE` exits 0 and writes JSON with every section of the suite."""
    assert set(tiny_run) == SECTIONS


def test_each_throughput_row_compares_engine_raw_and_reference(tiny_run: dict[str, Any]) -> None:
    """Every stream length that ran has the engine, raw and ratio figures side by side."""
    for row in tiny_run["throughput"]:
        assert row["status"] == "ok"
        assert {"engine_events_per_s", "raw_events_per_s", "engine_over_raw", "facts_per_event"} <= set(row)
    assert tiny_run["throughput"][0]["engine_over_reference"] is not None


def test_every_goal_has_a_measured_value_and_a_verdict(tiny_run: dict[str, Any]) -> None:
    """The goals list names five goals, each with a number, a target and met true or false."""
    assert len(tiny_run["goals"]) == 5
    for goal in tiny_run["goals"]:
        assert isinstance(goal["measured"], float)
        assert isinstance(goal["met"], bool)


def test_a_stream_beyond_the_fact_bound_is_recorded_not_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the adapter's bound below a stream's facts, the suite's throughput row says the stream
    exceeds the per-session fact bound, and where, instead of raising."""
    from iop_engine import load_library, rete

    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import suite

    monkeypatch.setattr(rete, "MAX_FACTS_PER_SESSION", 50)
    monkeypatch.setattr(suite, "MAX_FACTS_PER_SESSION", 50)
    library = {"stockholm-sof-2026-268": load_library()["stockholm-sof-2026-268"]}
    (row,) = suite.throughput(library, suite.TINY)[1:]
    assert row["status"] == suite.EXCEEDS
    assert row["bound"] == 50
    (stream,) = row["streams"]
    assert stream["facts_when_failed"] == 50
    assert 0 < stream["failed_at_event"] < 100


def test_the_long_horizon_runs_both_evaluators_to_the_same_periods(tiny_run: dict[str, Any]) -> None:
    """The long-horizon section times both evaluators on an agreement renewing without a cap."""
    (row,) = tiny_run["long_horizon"]
    assert row["events"] == 30
    assert row["periods"] > 10
    assert row["rete_s"] > 0 and row["reference_s"] > 0


def test_the_startup_benchmark_runs_and_prints_its_figures() -> None:
    """`startup.py --runs 1` times every command it lists and states the --help goal (its figures
    are not asserted: they depend on the machine)."""
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "startup.py"), "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "iop --help" in done.stdout and "iop timeline" in done.stdout
    assert "goal: iop --help under 0.3 s:" in done.stdout
