"""Replay many streams in worker processes, one per core by default.

Each worker is a forked child with its own durable-rules host (`rete.core()` makes a new one
after a fork; the GIL is never released by the core, so processes are the only way to use more
than one core). The jobs are inherited through the fork, so only job numbers travel to a
worker and only results travel back.

A worker that dies (a native crash of the core) takes down only the job it was running: that
job's result is an `EngineCrashed`, a new worker takes the dead one's place, and every other
job completes. `concurrent.futures.ProcessPoolExecutor` would instead mark the whole pool
broken and fail every pending job, which is why this module keeps its own workers.

Results come back in input order as `Outcome`s: the value, or the error that job raised (an
`IopError` such as `EventError`, or `EngineCrashed`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

import attrs

from iop_engine.errors import EngineCrashed, EngineError, EventError, IopError, RuleFileError
from iop_engine.inference import EvaluatorName
from iop_engine.isolation import CrashLog, died
from iop_engine.model import Agreement, Answer
from iop_engine.replay import replay
from iop_engine.rulefile import agreement_named, line_of, locate_event, plain, read_yaml

J = TypeVar("J")
R = TypeVar("R")

Progress = Callable[[int], None]  # called with a job's index each time a job finishes


@attrs.frozen(eq=False)
class Origin:
    """The file a job's events were read from and its YAML tree, so that a refused event is
    reported at its line."""

    path: Path
    tree: Any


@attrs.frozen
class Job:
    """One stream to replay against one agreement."""

    agreement: Agreement
    events: Sequence[Mapping[str, Any]]
    until: dt.date | None = None
    evaluate_with: EvaluatorName = "rete"
    origin: Origin | None = attrs.field(default=None, eq=False)


@attrs.frozen
class Outcome(Generic[R]):
    """What one job gave: `value`, or the `error` it failed with."""

    value: R | None = None
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def get(self) -> R:
        """The value; raises the job's error if it failed."""
        if self.error is not None:
            raise self.error
        return cast(R, self.value)


def job_from_file(
    path: Path,
    library: Mapping[str, Agreement],
    until: dt.date | None = None,
    evaluate_with: EvaluatorName = "rete",
) -> Job:
    """The job a replay file describes (YAML or JSON: `agreement` and `events`); the events are
    checked when the job runs, so one bad stream fails alone."""
    tree = read_yaml(path)
    if not isinstance(tree, Mapping) or "agreement" not in tree:
        raise RuleFileError(
            str(path),
            1,
            "",
            "a replay file is a mapping with `agreement` and `events`",
            'Start it with `agreement: ID` and list the events under `events:` (README, "Command line")',
        )
    events = tree.get("events") or []
    if not isinstance(events, list):
        raise RuleFileError(
            str(path),
            line_of(tree, ["events"]),
            "$.events",
            "`events` is not a list",
            "Write each event as a list item: `- {type: ..., date: YYYY-MM-DD, ...}`",
        )
    agreement = agreement_named(path, tree, library)
    return Job(agreement, plain(events), until, evaluate_with, Origin(path, tree))


def jobs_from_files(
    paths: Sequence[Path],
    library: Mapping[str, Agreement],
    until: dt.date | None = None,
    evaluate_with: EvaluatorName = "rete",
) -> list[Outcome[Job]]:
    """A job per file, or the error the file was refused with: one bad file fails alone."""
    outcomes: list[Outcome[Job]] = []
    for path in paths:
        try:
            outcomes.append(Outcome(value=job_from_file(path, library, until, evaluate_with)))
        except IopError as error:
            outcomes.append(Outcome(error=error))
    return outcomes


def replay_job(job: Job) -> Answer:
    """The job's answer; a refused event names the file and line it was read from, if any."""
    try:
        return replay(job.agreement, job.events, until=job.until, evaluate_with=job.evaluate_with)
    except EventError as error:
        if job.origin is None:
            raise
        raise locate_event(error, job.origin.path, job.origin.tree, ["events"]) from None


def replay_many(
    jobs: Sequence[Job], workers: int | None = None, progress: Progress | None = None
) -> list[Outcome[Answer]]:
    """Replay every job in worker processes; outcomes in input order."""
    return run_many(replay_job, jobs, workers, progress)


def run_many(
    func: Callable[[J], R], jobs: Sequence[J], workers: int | None = None, progress: Progress | None = None
) -> list[Outcome[R]]:
    """`func(job)` for every job in `workers` forked processes (default: one per core)."""
    count = workers if workers is not None else os.cpu_count() or 1
    if count < 1:
        raise ValueError(f"workers must be at least 1, not {count}")
    return _Pool(func, jobs, min(count, max(len(jobs), 1)), progress).run()


def _serve(conn: Connection, log: CrashLog, func: Callable[[Any], Any], jobs: Sequence[Any]) -> None:
    """A worker's loop: receive a job number, send back (number, value, error); None stops."""
    log.capture()
    while (index := conn.recv()) is not None:
        try:
            reply: tuple[int, Any, Exception | None] = (index, func(jobs[index]), None)
        except Exception as error:
            reply = (index, None, error)
        try:
            conn.send(reply)
        except Exception as error:  # an unpicklable value or error must not cost the worker
            conn.send((index, None, EngineError(f"job {index}'s result could not be sent back: {error!r}")))


class _Worker:
    """One child process, its end of the pipe, and the job it is running."""

    def __init__(self, func: Callable[[Any], Any], jobs: Sequence[Any]) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child_conn = context.Pipe(duplex=True)
        self.log = CrashLog()
        self.process: BaseProcess = context.Process(
            target=_serve, args=(child_conn, self.log, func, jobs), daemon=True
        )
        self.process.start()
        child_conn.close()
        self.job: int | None = None

    def give(self, index: int) -> None:
        self.job = index
        # A worker killed while idle cannot take the job; the pool then reads its end of file
        # and reports the job as crashed instead of stopping every other job.
        with contextlib.suppress(OSError):
            self.conn.send(index)

    def stop(self) -> None:
        """Let an idle worker exit; end a busy one (the caller gave up on its job)."""
        if self.job is not None:
            self.process.terminate()
        else:
            with contextlib.suppress(OSError):  # already gone: nothing to stop
                self.conn.send(None)
        self.process.join()
        self.conn.close()
        self.log.pass_on()

    def death(self) -> EngineCrashed:
        cause = died(self.process)
        self.conn.close()
        return EngineCrashed(
            f"the worker process died ({cause}) while running job {self.job}; no answer was "
            "produced for it, and the other jobs were not affected. Please report it with that input.",
            output=self.log.read(),
        )


class _Pool(Generic[J, R]):
    """Hands out jobs one at a time to idle workers and replaces workers that die."""

    def __init__(
        self, func: Callable[[J], R], jobs: Sequence[J], workers: int, progress: Progress | None
    ) -> None:
        self.func = func
        self.jobs = jobs
        self.size = workers
        self.progress = progress
        self.outcomes: list[Outcome[R] | None] = [None] * len(jobs)
        self.next_job = 0

    def run(self) -> list[Outcome[R]]:
        workers = [_Worker(self.func, self.jobs) for _ in range(self.size)]
        try:
            for worker in workers:
                self.feed(worker)
            while any(w.job is not None for w in workers):
                busy = [w for w in workers if w.job is not None]
                ready = wait([w.conn for w in busy])
                for worker in (w for w in busy if w.conn in ready):
                    if self.collect(worker):
                        self.feed(worker)
                    else:
                        workers[workers.index(worker)] = replacement = _Worker(self.func, self.jobs)
                        self.feed(replacement)
        finally:
            for worker in workers:
                worker.stop()
        return [o for o in self.outcomes if o is not None]

    def feed(self, worker: _Worker) -> None:
        if self.next_job < len(self.jobs):
            worker.give(self.next_job)
            self.next_job += 1
        else:
            worker.job = None

    def collect(self, worker: _Worker) -> bool:
        """Record the worker's answer; False if it died instead (its job is then a crash)."""
        assert worker.job is not None
        index = worker.job
        try:
            _, value, error = worker.conn.recv()
        except (EOFError, OSError):
            self.finish(index, Outcome(error=worker.death()))
            return False
        self.finish(index, Outcome(value=value, error=error))
        return True

    def finish(self, index: int, outcome: Outcome[R]) -> None:
        self.outcomes[index] = outcome
        if self.progress is not None:
            self.progress(index)
