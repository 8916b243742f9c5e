"""Replays in worker processes: the inference core is process-global, not thread-safe, and a
native crash in it kills its process.

Each worker is a spawned process that loads the rules once and then answers one job at a time,
so no process ever runs two replays at once and the service's own process never runs one. A
worker that dies (or hangs past the time limit) fails only the job it had: the caller gets
`EngineCrashed` and a fresh worker takes the dead one's place.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import signal
import threading
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import attrs

from iop_engine.errors import EngineCrashed
from iop_engine.model import Answer
from iop_engine.replay import replay
from iop_engine.rulefile import default_rules_dir, find_agreement, load_library

_JOB_TIMEOUT_S = 60.0


@attrs.frozen
class ReplayJob:
    agreement: str
    events: Sequence[Mapping[str, Any]]
    until: str | None = None


Handler = Callable[[dict[str, Any], ReplayJob], Answer]


def replay_job(library: dict[str, Any], job: ReplayJob) -> Answer:
    """The worker's default job: a replay. The answer crosses the pipe pickled (frozen values)."""
    import datetime as dt  # noqa: PLC0415 - only the worker needs it

    until = dt.date.fromisoformat(job.until) if job.until else None
    return replay(find_agreement(library, job.agreement), job.events, until=until)


def _warm_up(library: dict[str, Any]) -> None:
    # The first replay of an agreement loads the C extension and registers its rule book
    # (~0.1 s); doing it before the first request keeps that out of request latency.
    for agreement in library.values():
        replay(agreement, [])


def _worker_main(conn: Connection, rules_dir: str, handler: Handler) -> None:
    # The service handles SIGINT for the whole process group; a worker just finishes its job
    # and leaves when its pipe closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    library = load_library(rules_dir)
    _warm_up(library)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            conn.send(("ok", handler(library, job)))
        except BaseException as error:
            conn.send(("error", error))


@attrs.define
class _Worker:
    process: BaseProcess
    conn: Connection


class EnginePool:
    """A fixed number of warm worker processes; `run(job)` blocks until one is free."""

    def __init__(
        self,
        rules_dir: Path | None = None,
        size: int = 2,
        handler: Handler = replay_job,
        timeout: float = _JOB_TIMEOUT_S,
    ) -> None:
        self._context = multiprocessing.get_context("spawn")
        self._rules_dir = str(rules_dir or default_rules_dir())
        self._handler = handler
        self._timeout = timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(theirs, self._rules_dir, self._handler), daemon=True
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        with self._lock:
            self._all.append(worker)
        return worker

    def run(self, job: ReplayJob) -> Answer:
        worker = self._idle.get()
        try:
            worker.conn.send(job)
            answered = worker.conn.poll(self._timeout)
            if not answered:
                worker.process.kill()
            reply: tuple[str, Any] = worker.conn.recv() if answered else ("hung", None)
        except (EOFError, OSError):
            reply = ("died", None)
        status, payload = reply
        if status in {"hung", "died"}:
            self._replace(worker)
            raise EngineCrashed(self._crash_message(worker, hung=status == "hung"))
        self._idle.put(worker)
        if isinstance(payload, BaseException):
            raise payload
        result: Answer = payload
        return result

    def _replace(self, dead: _Worker) -> None:
        dead.process.join(timeout=5)
        dead.conn.close()
        with self._lock:
            self._all.remove(dead)
        self._idle.put(self._start())

    def _crash_message(self, worker: _Worker, hung: bool) -> str:
        code = worker.process.exitcode
        if hung:
            cause = f"it did not answer within {self._timeout:g} s and was stopped"
        elif code is None:
            cause = "its pipe closed"
        elif code < 0:
            cause = f"it died of signal {signal.Signals(-code).name}"
        else:
            cause = f"it exited with status {code}"
        return (
            f"the inference core's process failed during this request ({cause}); no answer was "
            "produced and nothing was stored. The service goes on with a fresh process. Please "
            "report it with the request that caused it."
        )

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        for worker in workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
