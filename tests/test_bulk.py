"""Bulk replay in worker processes (`iop_engine.bulk`)."""

from __future__ import annotations

import json
import os
import signal

import pytest

from iop_engine import EngineCrashed, EventError, load_library, replay
from iop_engine.bulk import Job, replay_many, run_many

LIBRARY = load_library()


def _notice(day: str, by: str = "fralsningsarmen") -> dict[str, object]:
    return {"type": "notice_given", "date": day, "by": by}


def _jobs() -> list[Job]:
    """Streams whose answers differ, so a result in the wrong place shows."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    days = ["2026-09-30", "2027-09-30", "2026-10-01", "2028-09-30", "2027-01-15"]
    return [Job(agreement, [_notice(day)]) for day in days] + [
        Job(
            LIBRARY["helsingborg-iop-2025"],
            [{"type": "review_held", "date": "2026-10-15", "outcome": "not_agreed"}],
        )
    ]


def _square_or_die(n: int) -> int:
    if n == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    if n == 5:
        os.kill(os.getpid(), signal.SIGSEGV)
    return n * n


def test_results_come_back_in_input_order() -> None:
    """Each outcome is the answer to the job at the same position, whichever worker ran it."""
    jobs = _jobs()
    expected = [replay(job.agreement, job.events).to_dict() for job in jobs]
    assert len({json.dumps(answer, sort_keys=True) for answer in expected}) == len(jobs)
    outcomes = replay_many(jobs, workers=2)
    assert expected == [o.value.to_dict() if o.value else None for o in outcomes]


def test_a_worker_killed_mid_run_fails_only_its_own_job(capfd: pytest.CaptureFixture[str]) -> None:
    """Jobs whose worker dies (SIGKILL, SIGSEGV) fail with EngineCrashed naming the signal and
    carrying the worker's crash dump; every other job completes with its value, on replacement
    workers."""
    outcomes = run_many(_square_or_die, list(range(8)), workers=2)
    assert [o.value for o in outcomes] == [0, 1, 4, None, 16, None, 36, 49]
    crashed = {i: o.error for i, o in enumerate(outcomes) if not o.ok}
    assert set(crashed) == {3, 5}
    assert isinstance(crashed[3], EngineCrashed)
    assert "SIGKILL" in str(crashed[3])
    assert "job 3" in str(crashed[3])
    assert isinstance(crashed[5], EngineCrashed)
    assert "SIGSEGV" in str(crashed[5])
    assert crashed[5].output.startswith("Fatal Python error: Segmentation fault")
    assert "" == capfd.readouterr().err  # the dump is the outcome's, not the terminal's


def test_an_error_in_one_stream_is_that_streams_outcome() -> None:
    """A stream the engine refuses gives its EventError as its outcome; the others still answer."""
    agreement = LIBRARY["stockholm-sof-2026-268"]
    jobs = [
        Job(agreement, []),
        Job(agreement, [{"type": "nonsense", "date": "2026-07-01"}]),
        Job(agreement, []),
    ]
    outcomes = replay_many(jobs, workers=2)
    assert [o.ok for o in outcomes] == [True, False, True]
    assert isinstance(outcomes[1].error, EventError)


def test_one_and_two_workers_give_identical_answers() -> None:
    """workers=1 and workers=2 return equal answers for every job."""
    jobs = _jobs()
    one = replay_many(jobs, workers=1)
    two = replay_many(jobs, workers=2)
    assert [o.value.to_dict() for o in one if o.value] == [o.value.to_dict() for o in two if o.value]
    assert len(one) == len(jobs)


def test_progress_reports_every_job_once() -> None:
    """The progress callback is called once with each job's index."""
    seen: list[int] = []
    run_many(abs, [-1, -2, -3, -4, -5], workers=2, progress=seen.append)
    assert sorted(seen) == [0, 1, 2, 3, 4]


def test_zero_workers_is_refused() -> None:
    """Asking for no workers is an error rather than a silent hang."""
    with pytest.raises(ValueError, match="at least 1"):
        run_many(abs, [1], workers=0)
